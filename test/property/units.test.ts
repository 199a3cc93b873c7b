// Property tests of the unit grammar (lib/units): any input is a value or an
// InvalidArgumentError naming the field, and formatting then parsing gives the value back.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../lib/errors.js';
import { durationToUs, formatBytes, formatUs, parseBytes } from '../../lib/units/index.js';

const runs = { numRuns: 1000 };
// Text near the grammar (digits, units, spaces, dots) finds more edges than random text alone.
const sizeLike = fc.stringMatching(/^\s?[0-9]{0,20}(\.[0-9]{0,4})?\s?[kmgtpKMGTPxi]{0,2}[bB]?\s?$/);
const durationLike = fc.stringMatching(/^\s?[0-9]{0,20}(\.[0-9]{0,4})?\s?(us|ms|s|min|h|)\s?$/);

function onlyTypedErrors(call: () => unknown, field: string): void {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message.startsWith(`${field} must be `)).toBe(true);
  }
}

describe('parseBytes', () => {
  it('accepts or rejects any text with an InvalidArgumentError naming the field', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), sizeLike), (text) => onlyTypedErrors(() => parseBytes(text, 'size'), 'size')),
      runs,
    );
  });

  it('accepts or rejects any number the same way', () => {
    fc.assert(
      fc.property(fc.double(), (n) => onlyTypedErrors(() => parseBytes(n, 'size'), 'size')),
      runs,
    );
  });

  it('returns whole, safe, non-negative byte counts', () => {
    fc.assert(
      fc.property(sizeLike, (text) => {
        try {
          const bytes = parseBytes(text, 'size');
          expect(Number.isSafeInteger(bytes) && bytes >= 0).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidArgumentError);
        }
      }),
      runs,
    );
  });

  it('reads formatBytes back: exactly when the unit divides the size, else at most a thousandth of the unit less', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (bytes) => {
        const text = formatBytes(bytes);
        const unit = 1024 ** ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'].indexOf(text.split(' ')[1]!);
        const back = parseBytes(text, 'size');
        if (bytes % unit === 0) expect(back).toBe(bytes);
        else {
          expect(back).toBeLessThanOrEqual(bytes);
          expect(bytes - back).toBeLessThanOrEqual(unit / 1000 + 1);
        }
      }),
      runs,
    );
  });

  it('reads back the largest sizes (found by the property above: rounding printed "8.000 PiB", 2^53 bytes)', () => {
    for (const bytes of [9006636304787571, Number.MAX_SAFE_INTEGER]) expect(parseBytes(formatBytes(bytes), 'size')).toBeLessThanOrEqual(bytes);
  });
});

describe('durationToUs', () => {
  it('accepts or rejects anything with an InvalidArgumentError naming the field', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), durationLike, fc.double()), (value) => onlyTypedErrors(() => durationToUs('interval', value, 0, 2 ** 53), 'interval')),
      runs,
    );
  });

  it('keeps what it accepts within the bounds it was given', () => {
    fc.assert(
      fc.property(durationLike, fc.nat(), fc.nat(), (text, a, b) => {
        const [min, max] = a <= b ? [a, b] : [b, a];
        try {
          const us = durationToUs('interval', text, min, max);
          expect(Number.isInteger(us) && us >= min && us <= max).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidArgumentError);
        }
      }),
      runs,
    );
  });

  it('reads formatUs back exactly', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (us) => {
        expect(durationToUs('interval', formatUs(us), 0, Number.MAX_SAFE_INTEGER)).toBe(us);
      }),
      runs,
    );
  });
});
