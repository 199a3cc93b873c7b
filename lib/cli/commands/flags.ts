// Flag values of the record, report, advise and monitor commands in the package's grammar
// (lib/units), with errors naming the flag.
import { InvalidArgumentError } from '../../errors.js';
import { durationToUs } from '../../units/duration.js';

/** An integer flag in [min, max]. */
export function integerFlag(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) throw new InvalidArgumentError(flag, `an integer from ${min} to ${max}`, text);
  return value;
}

/** A duration flag (5ms, 1s, 2min, 250us; a plain number is milliseconds), in milliseconds. */
export function durationFlagMs(flag: string, text: string, minUs: number, maxUs: number): number {
  return durationToUs(flag, text, minUs, maxUs) / 1000;
}

/** A share: '5%' or a fraction from 0 to 1. */
export function shareFlag(flag: string, text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  const value = m ? Number(m[1]) / (m[2] === '%' ? 100 : 1) : NaN;
  if (!(value >= 0 && value <= 1)) throw new InvalidArgumentError(flag, "a share such as '5%' or 0.05 (0 to 100 %)", text);
  return value;
}
