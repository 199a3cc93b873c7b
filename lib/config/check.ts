// Small validation helpers: every failure is an InvalidArgumentError naming the field path and
// the allowed range. Objects are checked for unknown keys so that a misspelt option is an
// error, not a silent default.
import { InvalidArgumentError } from '../errors.js';
import { parseBytes } from '../units/bytes.js';
import { durationToUs } from '../units/duration.js';

export type Raw = Record<string, unknown>;

export function object(field: string, value: unknown, keys: readonly string[]): Raw {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(field, `an object with keys ${keys.join(', ')}`, value);
  }
  for (const k of Object.keys(value)) {
    if (!keys.includes(k)) throw new InvalidArgumentError(field === '' ? k : `${field}.${k}`, `absent: unknown key (allowed keys: ${keys.join(', ')})`, (value as Raw)[k]);
  }
  return value as Raw;
}

export function path(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

export function integer(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(field, `an integer from ${min} to ${max}`, value);
  }
  return value;
}

export function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) throw new InvalidArgumentError(field, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  return value as T;
}

/** A duration in ms ('10ms', '1s', '250us', or a number of ms), within [minMs, maxMs]; fractional ms kept. */
export function durationMs(field: string, value: unknown, minMs: number, maxMs: number): number {
  return durationToUs(field, value, Math.round(minMs * 1000), Math.round(maxMs * 1000)) / 1000;
}

/** A byte size in damo's grammar ('128M', 4096), within [min, max]. */
export function bytes(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' && typeof value !== 'string') throw new InvalidArgumentError(field, `a size from ${min} to ${max} bytes, such as '128M'`, value);
  const n = parseBytes(value, field);
  if (n < min || n > max) throw new InvalidArgumentError(field, `a size from ${min} to ${max} bytes, such as '128M'`, value);
  return n;
}

export function boolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new InvalidArgumentError(field, 'true or false', value);
  return value;
}

export function array(field: string, value: unknown, maxLength: number): unknown[] {
  if (!Array.isArray(value) || value.length > maxLength) throw new InvalidArgumentError(field, `an array of at most ${maxLength} entries`, value);
  return value;
}
