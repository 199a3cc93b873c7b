// Documentation/mm/damon/design.rst, "Filters" (filters), "Regions Walking" (resume marker), "Operation Schemes" (apply interval).
import { describe, expect, it } from 'vitest';
import { aggregationsPerApply, dueAt, filtersPass, fromMarker, splitAtFilterBounds, type RegionFilter } from '../../lib/schemes/index.js';

describe('filters (Documentation/mm/damon/design.rst, "Filters")', () => {
  const allowRange: RegionFilter = { type: 'addr', matching: true, allow: true, start: 100, end: 200 };
  const rejectRange: RegionFilter = { ...allowRange, allow: false };
  const anon = { anonymous: true };
  it('first deciding filter wins; otherwise reject iff the last filter allows', () => {
    expect(filtersPass([allowRange], { start: 120, end: 180, ...anon })).toBe(true);
    expect(filtersPass([allowRange], { start: 0, end: 50, ...anon })).toBe(false); // default-reject
    expect(filtersPass([rejectRange], { start: 120, end: 180, ...anon })).toBe(false);
    expect(filtersPass([rejectRange], { start: 0, end: 50, ...anon })).toBe(true);
    expect(filtersPass([{ type: 'anon', matching: false, allow: false }], { start: 0, end: 1, anonymous: false })).toBe(false);
    expect(filtersPass([{ type: 'anon', matching: false, allow: false }], { start: 0, end: 1, anonymous: true })).toBe(true);
    expect(filtersPass([], { start: 0, end: 1, ...anon })).toBe(true);
  });
  it('regions straddling an address bound are split at it', () => {
    expect(splitAtFilterBounds([allowRange], 50, 150)).toEqual([
      [50, 100],
      [100, 150],
    ]);
    expect(splitAtFilterBounds([allowRange], 0, 300)).toEqual([
      [0, 100],
      [100, 200],
      [200, 300],
    ]);
  });
});

describe('resume marker (Documentation/mm/damon/design.rst, "Regions Walking")', () => {
  const cut = (r: { start: number; end: number }, at: number): [typeof r, typeof r] => [
    { start: r.start, end: at },
    { start: at, end: r.end },
  ];
  const regions = [
    { start: 0, end: 10 },
    { start: 10, end: 20 },
    { start: 20, end: 30 },
  ];
  it('starts after the marker, splits the straddling region and wraps around', () => {
    expect(fromMarker(regions, 15, cut)).toEqual([
      { start: 15, end: 20 },
      { start: 20, end: 30 },
      { start: 0, end: 10 },
      { start: 10, end: 15 },
    ]);
    expect(fromMarker(regions, null, cut)).toEqual(regions);
    expect(fromMarker(regions, 20, cut)[0]).toEqual({ start: 20, end: 30 });
  });
});

describe('apply interval (Documentation/mm/damon/design.rst, "Operation Schemes")', () => {
  it('0 means every aggregation; others round up to whole aggregations', () => {
    expect(aggregationsPerApply(0, 100_000)).toBe(1);
    expect(aggregationsPerApply(100_000, 100_000)).toBe(1);
    expect(aggregationsPerApply(250_000, 100_000)).toBe(3);
    expect([1, 2, 3, 4, 5, 6].map((a) => dueAt(a, 250_000, 100_000))).toEqual([false, false, true, false, false, true]);
  });
});
