// Table tests of the monitoring formulas against values computed by hand from
// Documentation/mm/damon/design.rst (section cited per block).
import { describe, expect, it } from 'vitest';
import { nativeBinding } from '../../lib/native/binding.js';

const f = nativeBinding().monitorFormulas;
const P = 4096;
const attrs = (sampleUs: number, aggrUs: number, goal = { accessBp: 0, aggrs: 0, minSampleUs: 0, maxSampleUs: 0 }) => ({
  sampleUs,
  aggrUs,
  goal,
});

describe('merge (design.rst "Adaptive Regions Adjustment") and age (design.rst "Age Tracking")', () => {
  it('merges neighbours within the threshold with size-weighted integer averages', () => {
    const out = f.mergeRegionsOf(
      [
        { start: 0, end: 4 * P, nrAccesses: 10, lastNrAccesses: 10, age: 2 },
        { start: 4 * P, end: 16 * P, nrAccesses: 14, lastNrAccesses: 2, age: 5 },
      ],
      5,
      1 << 30,
    );
    // ages first: A |10-10| <= 5 -> 3; B |14-2| > 5 -> 0.
    // nr = (10*4 + 14*12) / 16 = 13; age = (3*4 + 0*12) / 16 = 0; L keeps last = 10.
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ start: 0, end: 16 * P, nrAccesses: 13, nrAccessesBp: 130000, age: 0, lastNrAccesses: 10 });
  });

  it('does not merge over the size limit, across a hole or beyond the threshold', () => {
    const two = [
      { start: 0, end: 4 * P, nrAccesses: 3, lastNrAccesses: 3 },
      { start: 4 * P, end: 8 * P, nrAccesses: 3, lastNrAccesses: 3 },
    ];
    expect(f.mergeRegionsOf(two, 5, 8 * P - 1)).toHaveLength(2);
    expect(f.mergeRegionsOf(two, 5, 8 * P)).toHaveLength(1);
    const hole = [two[0]!, { ...two[1]!, start: 5 * P, end: 9 * P }];
    expect(f.mergeRegionsOf(hole, 5, 1 << 30)).toHaveLength(2);
    const far = [two[0]!, { ...two[1]!, nrAccesses: 9 }];
    expect(f.mergeRegionsOf(far, 5, 1 << 30)).toHaveLength(2);
  });

  it('resets the age when exactly one of nr and last is zero, even within the threshold', () => {
    const out = f.mergeRegionsOf(
      [
        { start: 0, end: P, nrAccesses: 0, lastNrAccesses: 1, age: 7 },
        { start: 10 * P, end: 11 * P, nrAccesses: 0, lastNrAccesses: 0, age: 7 },
        { start: 20 * P, end: 21 * P, nrAccesses: 4, lastNrAccesses: 3, age: 7 },
      ],
      5,
      1 << 30,
    );
    expect(out.map((r) => r.age)).toEqual([0, 8, 8]);
  });

  it('doubles the threshold while over max_nr_regions, updating ages on every pass', () => {
    // nr 0,10,20,30 on one page each, last = nr except the first (last 0 = nr 0).
    const regions = [0, 10, 20, 30].map((nr, i) => ({ start: i * P, end: (i + 1) * P, nrAccesses: nr, lastNrAccesses: nr, age: 0 }));
    // Passes at thresholds 1, 2, 4, 8 merge nothing (ages 4). At 16: ages 5, then
    // 0+10 -> 5, then 5(2 pages)+20 -> (10+20)/3 = 10; 30 stays. At 32 (32/2 = 16 < 20):
    // the merged region has nr 10 and last 0 -> age 0; 30 -> age 6; merged nr
    // (10*3 + 30)/4 = 15, age (0*3 + 6)/4 = 1. One region: stop.
    const out = f.mergeRegions(regions, 1, 1 << 30, 1, 20);
    expect(out).toEqual([expect.objectContaining({ start: 0, end: 4 * P, nrAccesses: 15, age: 1, lastNrAccesses: 0 })]);
  });

  it('stops doubling once threshold/2 reaches aggr/sample', () => {
    const regions = [0, 10, 20, 30].map((nr, i) => ({ start: i * P, end: (i + 1) * P, nrAccesses: nr, lastNrAccesses: nr }));
    // max_thres 4: passes at 1, 2, 4, 8 (8/2 = 4 is not < 4 after it): nothing merges.
    expect(f.mergeRegions(regions, 1, 1 << 30, 1, 4)).toHaveLength(4);
  });
});

describe('split (design.rst "Adaptive Regions Adjustment")', () => {
  const regions = [
    { start: 0, end: 100 * P, nrAccesses: 3, nrAccessesBp: 30000, lastNrAccesses: 2, age: 4 },
    { start: 100 * P, end: 102 * P, nrAccesses: 1, lastNrAccesses: 1, age: 1 },
  ];

  it('cuts each region in two at a 10-90% point, pieces inheriting the state', () => {
    const { regions: out, lastNrRegions } = f.splitRegions(regions, 1000, 0, 7);
    expect(lastNrRegions).toBe(2);
    // The 2-page region is not above 2 * min region size: it stays whole.
    expect(out).toHaveLength(3);
    const [a, b] = out as [(typeof out)[0], (typeof out)[0]];
    const cut = a.end - a.start;
    expect(cut % P).toBe(0);
    expect(cut).toBeGreaterThanOrEqual(10 * P);
    expect(cut).toBeLessThanOrEqual(90 * P);
    expect(b).toMatchObject({ start: a.end, end: 100 * P, nrAccesses: 3, nrAccessesBp: 30000, lastNrAccesses: 2, age: 4 });
  });

  it('cuts in three when the count did not change and is below max/3', () => {
    expect(f.splitRegions(regions, 1000, 2, 7).regions).toHaveLength(4);
    expect(f.splitRegions(regions, 6, 2, 7).regions).toHaveLength(3); // 2 is not < 6/3
  });

  it('does not split above max/2', () => {
    expect(f.splitRegions(regions, 3, 0, 7).regions).toHaveLength(2);
    expect(f.splitRegions(regions, 4, 0, 7).regions).toHaveLength(3);
  });
});

describe('size limit and min_nr_regions (design.rst "Execution Model and Data Structures", design.rst "Adaptive Regions Adjustment")', () => {
  it('cuts 100 pages into 10 regions of 10 pages', () => {
    const { regions, sizeLimit } = f.applyMinNrRegions([{ start: 0, end: 100 * P }], 10);
    expect(sizeLimit).toBe(10 * P);
    expect(regions.map((r) => r.end - r.start)).toEqual(Array(10).fill(10 * P));
  });
  it('aligns the limit up: 15 pages / 10 -> 2 pages, so 8 regions', () => {
    const { regions, sizeLimit } = f.applyMinNrRegions([{ start: 0, end: 15 * P }], 10);
    expect(sizeLimit).toBe(2 * P);
    expect(regions).toHaveLength(8);
    expect(regions.at(-1)).toMatchObject({ start: 14 * P, end: 15 * P });
  });
});

describe('feedback loop (design.rst "Aim-oriented Feedback-driven Auto-tuning") and interval tuning (design.rst "Monitoring Intervals Auto-tuning")', () => {
  it.each([
    [1e8, 10000, 1e8],
    [1e8, 20000, 10000],
    [1e8, 30000, 10000],
    [1e8, 5000, 1.5e8],
    [1e8, 15000, 5e7],
    [1e8, 0, 2e8],
    [20000, 19999, 10000], // 20000 - 20000*9999/10000 = 2 -> floored at the minimum input
  ])('feed_loop_next_input(%d, %d) = %d', (last, score, next) => {
    expect(f.feedLoopNextInput(last, score)).toBe(next);
  });

  // 100 pages, aggr/sample = 20: max events 2000, target at 400 bp = 80 page-samples.
  const goal = { accessBp: 400, aggrs: 1, minSampleUs: 3000, maxSampleUs: 1_000_000 };
  const a = attrs(5000, 100_000, goal);
  const hotCold = (nr: number) => [
    { start: 0, end: 10 * P, nrAccesses: nr },
    { start: 10 * P, end: 100 * P, nrAccesses: 0 },
  ];
  it.each([
    [0, 20000, 10000, 200_000], // no events: score 0, input doubles
    [4, 15000, 7500, 150_000], // 40 events: score 5000 -> +50%
    [8, 10000, 5000, 100_000], // 80 events: on target, unchanged
    [12, 7500, 3750, 75_000], // 120 events: score 15000 -> adapt 5000 -> 5000 + 2500
    [16, 5000, 3000, 60_000], // >= 2x target: halve, clamped to min_sample 3000
  ])('nr_accesses %d of 10 pages: adaptation %d bp, sample %d us, aggr %d us', (nr, adapt, sample, aggr) => {
    expect(f.intervalsAdaptationBp(hotCold(nr), a)).toBe(adapt);
    expect(f.tunedAttrs(hotCold(nr), a)).toMatchObject({ sampleUs: sample, aggrUs: aggr });
  });
});

describe('attribute changes (design.rst "Monitoring Intervals Auto-tuning")', () => {
  const region = [{ start: 0, end: P, nrAccesses: 15, lastNrAccesses: 15, age: 4 }];
  it('keeps the access ratio at the boundary: 15/20 -> 7/10', () => {
    const [r] = f.rescaleRegions(region, attrs(5000, 100_000), attrs(10_000, 100_000), false);
    expect(r).toMatchObject({ nrAccesses: 7, nrAccessesBp: 70000, lastNrAccesses: 15, age: 4 });
  });
  it('mid-aggregation: rescales last, restarts the window', () => {
    const [r] = f.rescaleRegions(region, attrs(5000, 100_000), attrs(10_000, 100_000), true);
    expect(r).toMatchObject({ nrAccesses: 0, nrAccessesBp: 70000, lastNrAccesses: 7 });
  });
  it('scales the age by the aggregation ratio', () => {
    const [r] = f.rescaleRegions(region, attrs(5000, 100_000), attrs(10_000, 200_000), false);
    expect(r).toMatchObject({ nrAccesses: 15, age: 2 });
  });
  it('is skipped when an interval is zero', () => {
    const [r] = f.rescaleRegions(region, attrs(0, 100_000), attrs(10_000, 200_000), false);
    expect(r).toMatchObject({ nrAccesses: 15, age: 4 });
  });
});

describe('targets (design.rst "Virtual Address Space Specific Implementation")', () => {
  it('three regions: the span minus the two largest gaps', () => {
    const maps: [number, number][] = [
      [0x1000, 0x2000],
      [0x3000, 0x4000],
      [0x10000, 0x11000],
      [0x100000, 0x101000],
    ];
    expect(f.threeRegions(maps)).toEqual([
      [0x1000, 0x4000],
      [0x10000, 0x11000],
      [0x100000, 0x101000],
    ]);
    expect(f.threeRegions(maps.slice(0, 2))).toBeNull();
    expect(
      f.threeRegions([
        [0x1000, 0x2000],
        [0x3000, 0x4000],
        [0x4000, 0x5000],
      ]),
    ).toBeNull();
  });

  it('set_regions keeps the history of regions that still intersect', () => {
    const regions = [
      { start: 0, end: 4 * P, nrAccesses: 5, age: 3 },
      { start: 4 * P, end: 8 * P, nrAccesses: 1, age: 1 },
      { start: 20 * P, end: 24 * P, nrAccesses: 9, age: 9 },
    ];
    expect(f.setRegions(regions, [[2 * P, 10 * P]])).toEqual([
      expect.objectContaining({ start: 2 * P, end: 4 * P, nrAccesses: 5, age: 3 }),
      expect.objectContaining({ start: 4 * P, end: 10 * P, nrAccesses: 1, age: 1 }),
    ]);
  });

  it('set_regions fills holes with fresh regions and adds new ranges', () => {
    const regions = [
      { start: 0, end: 2 * P, nrAccesses: 5, age: 3 },
      { start: 6 * P, end: 8 * P, nrAccesses: 4, age: 2 },
    ];
    const out = f.setRegions(regions, [
      [0, 8 * P],
      [30 * P + 5, 31 * P],
    ]);
    expect(out.map((r) => [r.start / P, r.end / P, r.nrAccesses, r.age])).toEqual([
      [0, 2, 5, 3],
      [2, 6, 0, 0],
      [6, 8, 4, 2],
      [30, 31, 0, 0],
    ]);
  });
});

describe('attribute validation (design.rst "Execution Model and Data Structures")', () => {
  it.each([
    [{ minNrRegions: 2 }, 'min_nr_regions must be at least 3'],
    [{ minNrRegions: 20, maxNrRegions: 10 }, 'min_nr_regions must not exceed max_nr_regions'],
    [{ sampleUs: 200_000 }, 'sample_us must not exceed aggr_us'],
    [{ goal: { accessBp: 400, aggrs: 3, minSampleUs: 10, maxSampleUs: 5 } }, 'goal.min_sample_us must not exceed goal.max_sample_us'],
    [{ goal: { accessBp: 400, aggrs: 3, minSampleUs: 10, maxSampleUs: 4000 } }, 'sample_us must lie within goal.min_sample_us..goal.max_sample_us'],
    [{}, ''],
  ])('%j -> %s', (a, message) => {
    expect(f.validateAttrs(a)).toBe(message);
  });
});
