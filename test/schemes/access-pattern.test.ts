// Documentation/mm/damon/design.rst, "Target Access Pattern": human units to raw units (5 ms / 100 ms: 5% → 1, 7 s → 70).
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../lib/errors.js';
import { matchesPattern, toRawPattern } from '../../lib/schemes/index.js';

const i = { sampleIntervalUs: 5000, aggregationIntervalUs: 100_000 };
describe('access pattern units (Documentation/mm/damon/design.rst, "Target Access Pattern")', () => {
  it('converts as damo does', () => {
    expect(toRawPattern({ size: { min: '2M', max: 'max' }, accessRate: { min: '5%', max: '50%' }, age: { min: '7s', max: 'max' } }, i)).toEqual({
      minSz: 2 ** 21,
      maxSz: Number.MAX_SAFE_INTEGER,
      minNrAccesses: 1,
      maxNrAccesses: 10,
      minAge: 70,
      maxAge: 2 ** 32 - 1,
    });
    expect(toRawPattern({ accessRate: { min: '4.5%', max: '100%' }, age: { min: '150ms', max: '1s' } }, i)).toMatchObject({ minNrAccesses: 0, maxNrAccesses: 20, minAge: 1, maxAge: 10 });
    expect(toRawPattern({ size: { min: 4096 }, accessRate: { min: 3 }, age: { min: 'min', max: 5 } }, i)).toMatchObject({ minSz: 4096, minNrAccesses: 3, minAge: 0, maxAge: 5 });
    expect(toRawPattern(undefined, i)).toEqual({ minSz: 0, maxSz: Number.MAX_SAFE_INTEGER, minNrAccesses: 0, maxNrAccesses: 2 ** 32 - 1, minAge: 0, maxAge: 2 ** 32 - 1 });
    // Other intervals: 10 ms / 1 s → max 100 accesses; 5% → 5; 7 s → 7.
    expect(toRawPattern({ accessRate: { min: '5%' }, age: { min: '7s' } }, { sampleIntervalUs: 10_000, aggregationIntervalUs: 1_000_000 })).toMatchObject({ minNrAccesses: 5, minAge: 7 });
  });

  it.each([
    [{ size: { min: '5%' } }, 'pattern.size.min'],
    [{ accessRate: { min: '2M' } }, 'pattern.accessRate.min'],
    [{ accessRate: { max: '150%' } }, 'pattern.accessRate.max'],
    [{ age: { min: '5' } }, 'pattern.age.min'],
    [{ age: { min: -1 } }, 'pattern.age.min'],
    [{ size: { min: '4M', max: '2M' } }, 'pattern.size.max'],
    [{ accessRate: { min: '50%', max: '5%' } }, 'pattern.accessRate.max'],
  ])('%j is refused naming %s', (p, field) => {
    expect(() => toRawPattern(p as never, i)).toThrow(InvalidArgumentError);
    try {
      toRawPattern(p as never, i);
    } catch (e) {
      expect((e as InvalidArgumentError).field).toBe(field);
    }
  });

  it('matches inclusively on nr_accesses_bp / 10000', () => {
    const p = toRawPattern({ size: { min: '2M', max: '4M' }, accessRate: { min: 1, max: 2 }, age: { min: 3, max: 3 } }, i);
    const r = { start: 0, end: 2 ** 21, nrAccessesBp: 19_999, age: 3 };
    expect(matchesPattern(r, p)).toBe(true);
    expect(matchesPattern({ ...r, nrAccessesBp: 9_999 }, p)).toBe(false);
    expect(matchesPattern({ ...r, nrAccessesBp: 30_000 }, p)).toBe(false);
    expect(matchesPattern({ ...r, end: 2 ** 22 }, p)).toBe(true);
    expect(matchesPattern({ ...r, end: 2 ** 22 + 4096 }, p)).toBe(false);
    expect(matchesPattern({ ...r, age: 4 }, p)).toBe(false);
  });
});
