// Ratios as options take them (docs/conventions.md): a fraction from 0 to 1, or a percentage
// string ('5%', '0.5%'). Goals and watermarks use them as whole basis points, as DAMON does.
import { InvalidArgumentError } from '../errors.js';

/** A ratio: a fraction from 0 to 1, or a percentage string. */
export type Ratio = number | `${number}%`;

const PERCENT = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/;

/** `value` as a fraction from 0 to 1 ('5%' is 0.05); throws naming `field`. */
export function ratioToFraction(field: string, value: unknown): number {
  const match = typeof value === 'string' ? PERCENT.exec(value) : null;
  const fraction = typeof value === 'number' ? value : match ? Number(match[1]) / 100 : NaN;
  if (!(fraction >= 0 && fraction <= 1)) throw new InvalidArgumentError(field, "a ratio (a fraction from 0 to 1, or a percentage such as '5%')", value);
  return fraction;
}

/** `value` in whole basis points (0.05 and '5%' are 500), at least `minBp`; throws naming `field`. */
export function ratioToBp(field: string, value: unknown, minBp = 0): number {
  const bp = Math.round(ratioToFraction(field, value) * 10_000);
  if (bp < minBp) throw new InvalidArgumentError(field, `a ratio of at least ${minBp / 100}%`, value);
  return bp;
}
