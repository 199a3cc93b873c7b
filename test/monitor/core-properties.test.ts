// Property tests of the monitoring core, stepped with the seeded synthetic pattern source
// under random attributes, targets, access patterns and attribute changes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PatternSource, AccessMonitor, type MonitorSnapshot } from '../../lib/index.js';

const P = 4096;
const BASE = 0x7f00_0000_0000;
// Windows (aggr / sample) that divide 10000: the moving sum then lands exactly on
// nr_accesses ×10000 at every boundary (design.rst, "Access Frequency Monitoring"; other lengths leave a rounding residue
// that the kernel warns about and fixes at reset, as this port does).
const WINDOWS = [1, 2, 4, 5, 8, 10, 16, 20, 25];

const rangesArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 1, max: 4096 })), { minLength: 1, maxLength: 3 }).map((parts) => {
  let at = BASE;
  return parts.map(([gapPages, pages]) => {
    const start = at + gapPages * P;
    at = start + pages * P;
    return { start, end: at };
  });
});

const attrsArb = fc.record({
  sampleMs: fc.integer({ min: 1, max: 10 }),
  window: fc.constantFrom(...WINDOWS),
  minRegions: fc.integer({ min: 3, max: 20 }),
  extraRegions: fc.integer({ min: 40, max: 300 }),
});

type Op = { kind: 'step'; samples: number } | { kind: 'hot'; picks: [number, number, number][] } | { kind: 'attrs'; sampleMs: number; window: number };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('step' as const), samples: fc.integer({ min: 1, max: 120 }) }),
  fc.record({
    kind: fc.constant('hot' as const),
    picks: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 0.3, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { maxLength: 4 }),
  }),
  fc.record({ kind: fc.constant('attrs' as const), sampleMs: fc.integer({ min: 1, max: 10 }), window: fc.constantFrom(...WINDOWS) }),
);

function hotFromPicks(span: { start: number; end: number }, picks: [number, number, number][]) {
  const pages = (span.end - span.start) / P;
  return picks
    .map(([at, len, probability]) => {
      const start = span.start + Math.floor(at * pages) * P;
      return { start, end: Math.min(span.end, start + Math.max(1, Math.floor(len * pages)) * P), probability };
    })
    .filter((h) => h.end > h.start)
    .sort((a, b) => a.start - b.start)
    .reduce<{ start: number; end: number; probability: number }[]>((kept, h) => {
      // Disjoint from the last range kept (comparing with the previous pick, which may itself
      // have been dropped, let an overlap through).
      if (kept.length === 0 || h.start >= kept.at(-1)!.end) kept.push(h);
      return kept;
    }, []);
}

function checkSnapshot(s: MonitorSnapshot, targets: { start: number; end: number }[][], minRegions: number, maxRegions: number) {
  const total = targets.flat().reduce((n, r) => n + (r.end - r.start), 0);
  expect(s.regions.length).toBeLessThanOrEqual(maxRegions);
  // Every region is at most the size limit, so the count reaches total / limit (>= min_nr_regions up to alignment).
  const limit = Math.ceil(Math.max(P, Math.floor(total / minRegions)) / P) * P;
  expect(s.regions.length).toBeGreaterThanOrEqual(Math.ceil(total / limit));
  let covered = 0;
  targets.forEach((given, t) => {
    // Adjacent ranges form one span: DAMON merges regions across them (adjacency is all it checks).
    const ranges = given.reduce<{ start: number; end: number }[]>((out, r) => {
      const last = out.at(-1);
      if (last && last.end === r.start) last.end = r.end;
      else out.push({ ...r });
      return out;
    }, []);
    // Addresses are bigints; below 2^53 they compare exactly as numbers.
    const own = s.regions.filter((r) => r.target === t).map((r) => ({ ...r, start: Number(r.start), end: Number(r.end) }));
    own.forEach((r, i) => {
      expect(r.start % P).toBe(0);
      expect(r.end % P).toBe(0);
      expect(r.end).toBeGreaterThan(r.start);
      expect(r.end - r.start).toBeLessThanOrEqual(limit);
      if (i > 0) expect(r.start).toBeGreaterThanOrEqual(own[i - 1]!.end);
      expect(ranges.some((g) => r.start >= g.start && r.end <= g.end)).toBe(true);
      expect(r.nrAccesses).toBeLessThanOrEqual(s.maxNrAccesses);
      expect(r.nrAccessesBp).toBe(r.nrAccesses * 10000);
      covered += r.end - r.start;
    });
  });
  // Merge and split conserve bytes: the regions tile the targets exactly.
  expect(covered).toBe(total);
}

describe('monitoring core invariants', () => {
  it('holds sorted, aligned, contained, bounded, byte-conserving regions with exact moving sums', () => {
    fc.assert(
      fc.property(
        fc.array(rangesArb, { minLength: 1, maxLength: 2 }),
        attrsArb,
        fc.array(opArb, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (targetRanges, a, ops, seed) => {
          // Targets of one monitor must not overlap: shift the second one beyond the first.
          const shifted = targetRanges.map((ranges, t) => ranges.map((r) => ({ start: r.start + t * 2 ** 32, end: r.end + t * 2 ** 32 })));
          const maxRegions = a.minRegions * 3 + a.extraRegions;
          const m = new AccessMonitor({
            monitoring: { sampleInterval: `${a.sampleMs}ms`, aggregationInterval: `${a.sampleMs * a.window}ms`, minRegions: a.minRegions, maxRegions },
            targets: shifted.map((ranges) => ({ ranges })),
            source: new PatternSource(),
            seed,
          });
          const span = { start: shifted[0]![0]!.start, end: shifted[0]!.at(-1)!.end };
          let aggregations = 0;
          for (const op of ops) {
            if (op.kind === 'step') {
              for (const s of m.step(op.samples)) {
                aggregations++;
                expect(s.aggregation).toBe(aggregations);
                checkSnapshot(s, shifted, a.minRegions, maxRegions);
              }
            } else if (op.kind === 'hot') {
              m.source.setHotRanges(hotFromPicks(span, op.picks));
            } else {
              m.update({ sampleInterval: `${op.sampleMs}ms`, aggregationInterval: `${op.sampleMs * op.window}ms` });
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('is deterministic for a seed', () => {
    const run = (seed: number) => {
      const m = new AccessMonitor({
        targets: [{ ranges: [{ start: BASE, end: BASE + 256 * 2 ** 20 }] }],
        source: new PatternSource({ hot: [{ start: BASE + 2 ** 24, end: BASE + 2 ** 25, probability: 0.5 }] }),
        seed,
      });
      return m.step(400);
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });

  it('builds address-space targets by the three-regions rule and refreshes them keeping history', () => {
    const G = 2 ** 30;
    const maps = [
      { start: BASE, end: BASE + 64 * P }, // "heap"
      { start: BASE + G, end: BASE + G + 256 * P }, // "mmap"
      { start: BASE + 4 * G, end: BASE + 4 * G + 32 * P }, // "stack"
    ];
    const m = new AccessMonitor({
      monitoring: { opsUpdateInterval: '1s' },
      source: new PatternSource({ mappings: maps, hot: [{ start: BASE + G, end: BASE + G + 16 * P, probability: 1 }] }),
      seed: 3,
    });
    const first = m.step(20).at(-1)!;
    expect(first.regions[0]!.start).toBe(BigInt(BASE));
    expect(first.regions.at(-1)!.end).toBe(BigInt(BASE + 4 * G + 32 * P));
    expect(first.regions.reduce((n, r) => n + r.end - r.start, 0n)).toBe(BigInt((64 + 256 + 32) * P));
    // The mmap area grows; after the ops update (200 samples of 5 ms) the target covers it
    // and the hot region keeps its age.
    m.source.setMappings([maps[0]!, { start: BASE + G, end: BASE + G + 512 * P }, maps[2]!]);
    const before = m.step(180).at(-1)!;
    const mmapStart = BigInt(BASE + G);
    const hotAge = before.regions.find((r) => r.start <= mmapStart && r.end > mmapStart)!.age;
    const after = m.step(20).at(-1)!;
    expect(after.regions.reduce((n, r) => n + r.end - r.start, 0n)).toBe(BigInt((64 + 512 + 32) * P));
    const hot = after.regions.find((r) => r.start <= mmapStart && r.end > mmapStart)!;
    expect(hot.nrAccesses).toBe(20);
    expect(hot.age).toBeGreaterThan(hotAge);
  });

  it('auto-tunes the sampling interval within its bounds, keeping aggr/sample (design.rst "Monitoring Intervals Auto-tuning")', () => {
    const make = (hot: boolean) =>
      new AccessMonitor({
        monitoring: { intervalsGoal: { access: '4%', aggregations: 1, minSampleInterval: '1ms', maxSampleInterval: '40ms' } },
        targets: [{ ranges: [{ start: BASE, end: BASE + 2 ** 26 }] }],
        source: new PatternSource({ hot: hot ? [{ start: BASE, end: BASE + 2 ** 26 }] : [] }),
      });
    // Nothing accessed: the interval doubles at each aggregation up to the bound.
    const idle = make(false)
      .step(20 * 8)
      .map((s) => s.sampleIntervalMs);
    expect(idle.slice(0, 5)).toEqual([5, 10, 20, 40, 40]);
    // Everything accessed (25x the goal): it halves down to the bound.
    const busy = make(true)
      .step(20 * 5)
      .map((s) => s.sampleIntervalMs);
    expect(busy.slice(0, 5)).toEqual([5, 2.5, 1.25, 1, 1]);
    for (const s of [...make(false).step(200), ...make(true).step(200)]) expect(s.aggregationIntervalMs / s.sampleIntervalMs).toBe(20);
  });
});
