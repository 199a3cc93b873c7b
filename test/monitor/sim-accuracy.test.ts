// Accuracy with the `sim` source: a 1 GiB space with 5% hot (26 of 512 2 MiB units, in
// three clusters) under a seeded workload; then the hot set moves. Thresholds are the
// issue's: recall >= 90% and precision >= 80% (hot-set-accuracy.ts defines both) reached
// within 10 aggregations, and again within 20 after the move (and then kept in at least
// 75% of the remaining aggregations: DAMON's random splits make single ones fluctuate).
import { describe, expect, it } from 'vitest';
import { AccessMonitor, SimulatedSource, type SimulatedSourceOptions } from '../../lib/index.js';
import { rangesOf, scoreHotSet, unitsOf, UNIT, type Accuracy } from './hot-set-accuracy.js';

const BASE = 0x7f00_0000_0000;
const G = 2 ** 30;
const BEFORE: [number, number][] = [
  [40, 8],
  [200, 10],
  [400, 8],
];
const AFTER: [number, number][] = [
  [100, 8],
  [300, 10],
  [460, 8],
];

const met = (a: Accuracy) => a.recall >= 0.9 && a.precision >= 0.8;

function run(seed: number, mappings: SimulatedSourceOptions['mappings'], hotShare: number) {
  const m = new AccessMonitor({
    targets: [{ ranges: [{ start: BASE, end: BASE + G }] }],
    source: new SimulatedSource({ mappings, workload: { hot: rangesOf(BEFORE, BASE), hotShare } }),
    seed,
  });
  const before: Accuracy[] = [];
  for (let a = 1; a <= 10; a++) before.push(scoreHotSet(m.step(20).at(-1)!, unitsOf(BEFORE), BASE));
  m.source.setHotSet(rangesOf(AFTER, BASE));
  const after: Accuracy[] = [];
  for (let a = 1; a <= 20; a++) after.push(scoreHotSet(m.step(20).at(-1)!, unitsOf(AFTER), BASE));
  const firstGood = (xs: Accuracy[]) => 1 + xs.findIndex(met);
  // After it is first met, how often it still holds (the hot set stays found).
  const held = (xs: Accuracy[]) => {
    const rest = xs.slice(firstGood(xs) - 1);
    return rest.filter(met).length / rest.length;
  };
  console.log(
    `sim accuracy seed ${seed}: at 10 recall ${before.at(-1)!.recall.toFixed(3)} precision ${before.at(-1)!.precision.toFixed(3)} ` +
      `(first met at ${firstGood(before)}); after the move, at 20 recall ${after.at(-1)!.recall.toFixed(3)} ` +
      `precision ${after.at(-1)!.precision.toFixed(3)} (first met at ${firstGood(after)}, then held in ${(held(after) * 100).toFixed(0)}%)`,
  );
  return { before: firstGood(before), after: firstGood(after), held: held(after) };
}

describe('sim source accuracy (1 GiB, 5% hot)', () => {
  it.each([1, 2, 3])('finds the hot set and follows it when it moves (4 KiB pages, 0.1%% of accesses cold), seed %d', (seed) => {
    const { before, after, held } = run(seed, [{ start: BASE, end: BASE + G }], 0.999);
    // Met within 10 aggregations, and within 20 after the move, then mostly kept.
    expect(before).toBeGreaterThanOrEqual(1);
    expect(after).toBeGreaterThanOrEqual(1);
    expect(held).toBeGreaterThanOrEqual(0.75);
  });

  it('samples PMD-mapped huge pages through their PMD accessed bit', () => {
    // The first 256 MiB on 2 MiB pages. Cold memory stays cold here: on a huge page one
    // access anywhere in the 2 MiB makes the whole unit young, as on real hardware.
    const { before, after, held } = run(
      4,
      [
        { start: BASE, end: BASE + 256 * 2 ** 20, pageSize: '2m' },
        { start: BASE + 256 * 2 ** 20, end: BASE + G },
      ],
      1,
    );
    expect(before).toBeGreaterThanOrEqual(1);
    expect(after).toBeGreaterThanOrEqual(1);
    expect(held).toBeGreaterThanOrEqual(0.75);
  });

  it('survives target memory unmapped while monitored', () => {
    const m = new AccessMonitor({
      monitoring: { opsUpdateInterval: '1s' },
      source: new SimulatedSource({
        mappings: [
          { start: BASE, end: BASE + 64 * UNIT },
          { start: BASE + 1024 * UNIT, end: BASE + 1088 * UNIT },
          { start: BASE + 4096 * UNIT, end: BASE + 4104 * UNIT },
        ],
        workload: { hot: [{ start: BASE + 1024 * UNIT, end: BASE + 1040 * UNIT }], hotShare: 1 },
      }),
      seed: 9,
    });
    m.step(100);
    // Unmap the hot middle: its regions stop being accessed at once, and the ops update
    // (every 200 samples of 5 ms) drops the space from the target.
    expect(m.source.unmap([{ start: BASE + 1024 * UNIT, end: BASE + 1088 * UNIT }])).toBe(64 * UNIT);
    const soon = m.step(40).at(-1)!;
    expect(soon.regions.every((r) => r.nrAccesses === 0)).toBe(true);
    const later = m.step(200).at(-1)!;
    // Three regions are re-derived from what is left (two mappings: one gap, so the
    // kernel's rule fails and the old regions stay); no crash and no access is reported.
    expect(later.regions.every((r) => r.nrAccesses === 0)).toBe(true);
  });
});
