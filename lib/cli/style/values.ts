// Flag text to the values the API validates. A flag is parsed only as far as its type (a
// number, a duration, a byte size); ranges and meaning stay with the API's validation, whose
// InvalidArgumentError the command's `flags` map renames to the flag.
import { InvalidArgumentError } from '../../errors.js';
import type { Duration } from '../../units/duration.js';

/** A number as written (`1.5`, `1e6`, `-3`); anything else names the flag. The API checks integrality and range. */
export function numberFlag(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new InvalidArgumentError(flag, 'a number', text);
  return value;
}

/** A duration flag: a bare number is milliseconds (as the API takes a number), otherwise a string such as `500ms` or `2s`. */
export function durationFlag(text: string): Duration {
  return /^\s*\d+(?:\.\d+)?\s*$/.test(text) ? Number(text) : (text as Duration);
}
