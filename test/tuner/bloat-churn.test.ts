// Beyond the RFC, on a simulated process: the bloat bound (units with more than maxPtesNone
// absent pages are not collapsed; bytes added by collapse are counted) and the churn guard (a
// collapsed unit that is split again is backed off exponentially).
import { describe, expect, it } from 'vitest';
import { SimulatedSource, HugepageTuner } from '../../lib/index.js';

const M = 2 ** 21;
const BASE = 0x7f00_0000_0000;
const PAGE = 4096;
const unit = (u: number) => BASE + u * M;

function hotTuner() {
  return new HugepageTuner({
    source: { kind: 'sim', mappings: [{ start: BASE, end: unit(64) }], workload: { hot: [{ start: unit(8), end: unit(24) }], hotShare: 0.95, accessesPer5ms: 5000 } },
    // Hot memory only, as fast as 10 ms per second allows (temporal: full throttle below the goal).
    // No minimum region size: DAMON splits a 4 KiB-mapped unit between huge neighbours into
    // small regions, and each unit is judged by the region holding its middle.
    schemes: [{ pattern: { accessRate: { min: '5%' } }, quota: { time: '10ms', tuner: 'temporal', goals: [{ metric: 'hugepage_mem_bp', target: 10000 }] } }],
    churnBackoff: '10s',
  });
}

const huge = (t: HugepageTuner, u: number) => (t.monitor!.source as SimulatedSource).residency(unit(u), unit(u + 1))[0]!.pmdMapped;

describe('bloat bound', () => {
  it('skips units with more than 64 absent pages, collapses one with 30 and counts the 30 pages it adds', async () => {
    const t = hotTuner();
    (t.monitor!.source as SimulatedSource).discard([{ start: unit(10), end: unit(10) + 100 * PAGE }]); // 100 absent: over the bound
    (t.monitor!.source as SimulatedSource).discard([{ start: unit(12), end: unit(12) + 65 * PAGE }]); // 65: just over
    (t.monitor!.source as SimulatedSource).discard([{ start: unit(14), end: unit(14) + 30 * PAGE }]); // 30: within
    (t.monitor!.source as SimulatedSource).discard([{ start: unit(16), end: unit(16) + 64 * PAGE }]); // 64: exactly the bound
    for (let w = 0; w < 8; w++) await t.step(200);
    expect(huge(t, 10)).toBe(false);
    expect(huge(t, 12)).toBe(false);
    expect(huge(t, 14)).toBe(true);
    expect(huge(t, 16)).toBe(true);
    for (const u of [9, 11, 13, 15, 17, 20, 23]) expect(huge(t, u)).toBe(true);
    const s = t.stats().schemes[0]!.stats;
    expect(s.units.skippedBloat).toBeGreaterThan(0);
    expect(s.addedBytes).toBe((30 + 64) * PAGE);
  });

  it('maxPtesNone 511 (khugepaged’s default) collapses the sparse units too, and the bloat shows in addedBytes', async () => {
    const t = hotTuner();
    // Any access rate: a unit with 12 resident pages is rarely seen accessed by sampling.
    t.update({ maxPtesNone: 511, schemes: [{ pattern: { accessRate: { min: 'min' } } }] });
    (t.monitor!.source as SimulatedSource).discard([{ start: unit(10), end: unit(10) + 500 * PAGE }]);
    for (let w = 0; w < 10; w++) await t.step(200);
    expect(huge(t, 10)).toBe(true);
    expect(t.stats().schemes[0]!.stats.addedBytes).toBe(500 * PAGE);
  });
});

describe('churn guard', () => {
  it('a collapsed unit split again is left alone for the back-off (10 s, then 20 s), then collapsed again', async () => {
    const t = hotTuner();
    for (let w = 0; w < 6; w++) await t.step(200);
    expect(huge(t, 20)).toBe(true);
    expect((t.monitor!.source as SimulatedSource).split(unit(20))).toBe(true);
    await t.step(200); // 1 s: the split is seen
    expect(t.stats().eligibility.churnSplits).toBe(1);
    expect(t.stats().eligibility.backedOffUnits).toBe(1);
    for (let w = 0; w < 8; w++) await t.step(200);
    expect(huge(t, 20)).toBe(false); // 9 s after the split: still backed off
    expect(t.stats().schemes[0]!.stats.units.skippedChurn).toBeGreaterThan(0);
    for (let w = 0; w < 3; w++) await t.step(200);
    expect(huge(t, 20)).toBe(true); // back-off over: collapsed again
    (t.monitor!.source as SimulatedSource).split(unit(20));
    for (let w = 0; w < 15; w++) await t.step(200);
    expect(t.stats().eligibility.churnSplits).toBe(2);
    expect(huge(t, 20)).toBe(false); // second back-off is 20 s
    for (let w = 0; w < 7; w++) await t.step(200);
    expect(huge(t, 20)).toBe(true);
  });
});
