// Byte sizes in damo's grammar: binary units (K = KiB = 1024), optional "B"/"iB", decimals
// allowed ("1.5G"), plain numbers are bytes; `min`/`max` are left to callers that accept them.
import { InvalidArgumentError } from '../errors.js';

const UNITS: Record<string, number> = { '': 1, b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50 };
const PATTERN = /^\s*(\d+(?:\.\d+)?)\s*([kmgtp]?)(?:i?b)?\s*$/i;

/** Parses `value` ("4G", "512 MiB", "2097152", 4096) into a whole number of bytes. */
export function parseBytes(value: string | number, field: string): number {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return value;
    throw new InvalidArgumentError(field, 'a whole number of bytes or a size such as "2M" or "4GiB"', value);
  }
  const match = typeof value === 'string' ? PATTERN.exec(value) : null;
  if (!match) throw new InvalidArgumentError(field, 'a size such as 4096, "2M", "1.5G" or "4GiB" (binary units B, K, M, G, T, P)', value);
  const bytes = Math.round(Number(match[1]) * UNITS[match[2]!.toLowerCase()]!);
  if (!Number.isSafeInteger(bytes)) throw new InvalidArgumentError(field, 'a size below 2^53 bytes', value);
  return bytes;
}

/** A size (bytes or damo's grammar) within [min, max]; throws naming `field`. */
export function bytesIn(field: string, value: unknown, min: number, max: number): number {
  const allowed = `a size from ${min} to ${max} bytes, such as '128M'`;
  if (typeof value !== 'number' && typeof value !== 'string') throw new InvalidArgumentError(field, allowed, value);
  const n = parseBytes(value, field);
  if (n < min || n > max) throw new InvalidArgumentError(field, allowed, value);
  return n;
}

/**
 * "4 GiB", "1.500 MiB", "512 B": the largest binary unit that keeps the number >= 1, three
 * decimals unless whole. The decimals are cut, not rounded, so the text never names more than
 * the size: rounding printed 2^53 - 2^40 bytes as "8.000 PiB", which parseBytes rejects.
 */
export function formatBytes(bytes: number): string {
  const names = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let unit = 0;
  while (unit < names.length - 1 && Math.abs(bytes) >= 1024 ** (unit + 1)) unit++;
  const scaled = bytes / 1024 ** unit;
  return `${Number.isInteger(scaled) ? scaled : (Math.trunc(scaled * 1000) / 1000).toFixed(3)} ${names[unit]}`;
}
