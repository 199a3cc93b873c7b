// Human-readable durations ('5ms', '100ms', '60s', '250us', '1.5s') or plain numbers of
// milliseconds, converted to whole microseconds.
import { InvalidArgumentError } from '../errors.js';

/** A duration: a number of milliseconds, or a string with a unit: `us`, `ms`, `s`, `min`. */
export type Duration = number | `${number}${'us' | 'ms' | 's' | 'min'}`;

const UNIT_US: Record<string, number> = { us: 1, ms: 1000, s: 1_000_000, min: 60_000_000 };

/** Microseconds in `value`; throws InvalidArgumentError naming `field` when it is not a duration in [minUs, maxUs]. */
export function durationToUs(field: string, value: unknown, minUs: number, maxUs: number): number {
  const allowed = `a duration from ${formatUs(minUs)} to ${formatUs(maxUs)} (a number of milliseconds or a string such as '5ms', '60s')`;
  let us: number;
  if (typeof value === 'number') {
    us = value * 1000;
  } else if (typeof value === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(us|ms|s|min)\s*$/.exec(value);
    if (!m) throw new InvalidArgumentError(field, allowed, value);
    us = Number(m[1]) * (UNIT_US[m[2] as string] as number);
  } else {
    throw new InvalidArgumentError(field, allowed, value);
  }
  if (!Number.isFinite(us) || Math.round(us) < minUs || Math.round(us) > maxUs) {
    throw new InvalidArgumentError(field, allowed, value);
  }
  return Math.round(us);
}

/** Milliseconds in `value` (fractions kept, whole microseconds), within [minMs, maxMs]; throws naming `field`. */
export function durationToMs(field: string, value: unknown, minMs: number, maxMs: number): number {
  return durationToUs(field, value, Math.round(minMs * 1000), Math.round(maxMs * 1000)) / 1000;
}

/** '5ms', '60s', '250us': the shortest exact spelling of a microsecond count. */
export function formatUs(us: number): string {
  if (us >= 60_000_000 && us % 60_000_000 === 0) return `${us / 60_000_000}min`;
  if (us >= 1_000_000 && us % 1_000_000 === 0) return `${us / 1_000_000}s`;
  if (us >= 1000 && us % 1000 === 0) return `${us / 1000}ms`;
  return `${us}us`;
}
