// HugepageTuner on a simulated process (the monitor's sim source: DAMON sampling over the
// simulator's page table, a seeded hot/cold workload, collapse with a modelled 1 ms per unit).
import { describe, expect, it } from 'vitest';
import { SimulatedSource, HugepageTuner, type ApplyReport, type QuotaReport, type SchemeOptions } from '../../lib/index.js';

const M = 2 ** 21;
const BASE = 0x7f00_0000_0000;
const UNITS = 128;
// 48 of 128 units hot (37.5%), in two ranges.
const HOT: [number, number][] = [
  [10, 30],
  [60, 88],
];
const isHot = (u: number) => HOT.some(([a, b]) => u >= a && u < b);
const unitOf = (address: bigint) => (Number(address) - BASE) / M;

function tuner(scheme: SchemeOptions, extra: Record<string, unknown> = {}) {
  return new HugepageTuner({
    source: {
      kind: 'sim',
      mappings: [{ start: BASE, end: BASE + UNITS * M }],
      workload: { hot: HOT.map(([a, b]) => ({ start: BASE + a * M, end: BASE + b * M })), hotShare: 0.9, accessesPer5ms: 5000 },
    },
    schemes: [scheme],
    ...extra,
  });
}

async function run(t: HugepageTuner, windows: number) {
  const reports: ApplyReport[] = [];
  const quotas: QuotaReport[] = [];
  const collapsedOrder: number[] = [];
  t.on('quota', (q) => quotas.push(q));
  for (let w = 0; w < windows; w++) {
    for (const r of await t.step(200)) {
      reports.push(r);
      collapsedOrder.push(...r.collapsedUnits.map((a) => unitOf(a)));
    }
  }
  return { reports, quotas, collapsedOrder };
}

const goal30: SchemeOptions = {
  pattern: { size: { min: '2M' } },
  quota: { time: '10ms', goals: [{ metric: 'hugepage_mem_bp', target: '30%' }] },
};

describe('HugepageTuner on a simulated hot/cold process, goal 30%', () => {
  it('collapses hot units first, within every window’s byte and time quota, reaches the goal band and holds it', async () => {
    const t = tuner(goal30);
    const { reports, quotas } = await run(t, 60);
    for (const r of reports) {
      if (r.skipped === null) {
        expect(r.windowChargedBytes).toBeLessThanOrEqual(r.esz);
        expect(r.windowActionMs).toBeLessThanOrEqual(10);
      }
    }
    const units = t.stats().schemes[0]!.stats.units;
    const scores = quotas.map((q) => q.score!);
    const reachedAt = scores.findIndex((s) => s >= 10_000);
    expect(reachedAt).toBeGreaterThan(0);
    // Held: every later window's current value stays within the band [goal, goal + one window's collapse].
    const after = quotas.slice(reachedAt).map((q) => q.currentValues[0]!);
    for (const v of after) {
      expect(v).toBeGreaterThanOrEqual(3000);
      expect(v).toBeLessThan(3000 + Math.ceil((10 * 10_000) / UNITS)); // at most 10 units (10 ms at 1 ms/unit) above
    }
    expect(reports.slice(-50).every((r) => r.skipped === 'goal-met' || r.tried.every((x) => x.appliedBytes === 0))).toBe(true);
    expect(units.collapsed).toBeGreaterThanOrEqual(39);
    expect(units.collapsed).toBeLessThanOrEqual(39 + 10);
    const huge = hugeUnits(t);
    const cold = huge.filter((u) => !isHot(u));
    console.log(`sim goal 30%: reached at window ${reachedAt}, ${huge.length} huge units, ${cold.length} outside the hot set`);
    // The hottest go first: no cold unit while hot ones were left (edge units of a hot range may look hot for a while).
    expect(cold.length).toBeLessThanOrEqual(2);
  });

  it("with scoring: 'kernel' it collapses in address order from the lowest unit", async () => {
    const t = tuner({ ...goal30, scoring: 'kernel' });
    const { collapsedOrder } = await run(t, 45);
    expect(collapsedOrder.length).toBeGreaterThan(20);
    expect(collapsedOrder.slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
    for (let i = 1; i < collapsedOrder.length; i++) expect(collapsedOrder[i]).toBeGreaterThan(collapsedOrder[i - 1]!);
    const huge = hugeUnits(t);
    expect(huge.filter((u) => !isHot(u)).length).toBeGreaterThan(10); // cold memory got huge pages
  });
});

describe('HugepageTuner addresses (simulated process)', () => {
  it('gives tried regions and collapsed units as bigints, which the source takes back as they are', async () => {
    const t = tuner({ pattern: { size: { min: '2M' } }, quota: { time: 0, size: '1G', goals: [] } });
    const { reports } = await run(t, 3);
    const collapsing = reports.filter((r) => r.collapsedUnits.length > 0);
    expect(collapsing.length).toBeGreaterThan(0);
    const source = t.monitor!.source as SimulatedSource;
    for (const r of collapsing) {
      for (const unit of r.collapsedUnits) {
        expect(typeof unit).toBe('bigint');
        // Each collapsed unit lies in a region the application tried, and is huge now.
        const tried = r.tried.find((x) => x.start <= unit && unit < x.end);
        expect(tried).toBeDefined();
        expect(source.residency(tried!.start, tried!.end).find((u) => u.address === unit)?.pmdMapped).toBe(true);
      }
    }
    const lastTried = t.stats().schemes[0]!.lastTried;
    expect(lastTried.every((x) => typeof x.start === 'bigint' && typeof x.end === 'bigint' && x.end > x.start)).toBe(true);
    // A tried region is a probe range as it is.
    expect(source.probe(lastTried)).toHaveLength(lastTried.length);
  });
});

describe('HugepageTuner unit probes (simulated process)', () => {
  it('collapses only units accessed since their previous probe, even when a matched region holds cold units', async () => {
    // Every region matches (any size, any rate), and the workload touches the hot set only:
    // without the probe every unit would go huge.
    const t = new HugepageTuner({
      source: {
        kind: 'sim',
        mappings: [{ start: BASE, end: BASE + UNITS * M }],
        workload: { hot: HOT.map(([a, b]) => ({ start: BASE + a * M, end: BASE + b * M })), hotShare: 1, accessesPer5ms: 5000 },
      },
      schemes: [{ pattern: { size: { min: '2M' } }, quota: { time: 0, size: '1G', goals: [] } }],
    });
    await t.step(1000);
    const huge = hugeUnits(t);
    const units = t.stats().schemes[0]!.stats.units;
    console.log(`sim unit probes: ${huge.length} huge units, ${huge.filter(isHot).length} of them hot; units found cold ${units['skipped-cold']}`);
    expect(huge.filter((u) => !isHot(u))).toEqual([]);
    // Most hot units: a 4 KiB-mapped hot unit's sampling page is accessed in only a few samples
    // here, so DAMON may split it into a region under the pattern's 2 MiB minimum.
    expect(huge.length).toBeGreaterThanOrEqual(40);
    expect(units['skipped-cold']).toBeGreaterThanOrEqual(UNITS - 48);
    expect(units['skipped-unprobed']).toBeGreaterThanOrEqual(UNITS - 48);
  });
});

/** Units the simulated page table maps with a PMD now. */
function hugeUnits(t: HugepageTuner): number[] {
  return (t.monitor!.source as SimulatedSource)
    .residency(BASE, BASE + UNITS * M)
    .filter((u) => u.pmdMapped)
    .map((u) => unitOf(u.address));
}
