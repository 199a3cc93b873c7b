// The calibration probe and its fit. The fit's arithmetic is checked on made-up points whose
// answer is known; the probe on this machine only for what holds on any machine, busy or
// not: the shape of what it measured, the simulator's side of it, its budget, its cache, and
// that it leaves no memory behind. Which figure a busy machine yields is not pinned.
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { calibrate } from '../../lib/index.js';
import { chooseCyclesPerNs, fitNsPerCycle, MIN_FITTED_CYCLES, PRESET_CYCLES_PER_NS } from '../../lib/advisor/calibration.js';

const MiB = 2 ** 20;

describe('the fit', () => {
  it('recovers ns per cycle from exact points, and weighs precise points more', () => {
    const exact = fitNsPerCycle([10, 20, 40].map((c) => ({ cyclesSaved: c, nsSaved: c / 25, errorNs: 0.1 })));
    expect(1 / exact.x).toBeCloseTo(25, 9);
    // One precise point at 1/25 and one loose point far off: the result stays near the precise one.
    const weighted = fitNsPerCycle([
      { cyclesSaved: 20, nsSaved: 20 / 25, errorNs: 0.01 },
      { cyclesSaved: 20, nsSaved: 20 / 5, errorNs: 1 },
    ]);
    expect(1 / weighted.x).toBeGreaterThan(24);
    expect(fitNsPerCycle([{ cyclesSaved: 20, nsSaved: 1, errorNs: 0.01 }]).error).toBeLessThan(fitNsPerCycle([{ cyclesSaved: 20, nsSaved: 1, errorNs: 0.1 }]).error);
  });

  it('ignores sizes where the simulator saves (nearly) nothing: no slope to learn there, only noise to amplify', () => {
    const fit = fitNsPerCycle([
      { cyclesSaved: 0, nsSaved: 5, errorNs: 0.1 },
      { cyclesSaved: MIN_FITTED_CYCLES / 2, nsSaved: 5, errorNs: 0.1 },
      { cyclesSaved: 30, nsSaved: 1, errorNs: 0.1 },
    ]);
    expect(1 / fit.x).toBeCloseTo(30, 9);
    expect(Number.isNaN(fitNsPerCycle([{ cyclesSaved: 1, nsSaved: 1, errorNs: 0.1 }]).x)).toBe(true);
  });

  it('uses a significant fit, else the preset held inside what the probe allows', () => {
    expect(chooseCyclesPerNs({ x: 1 / 25, error: 0.001 }, 40)).toEqual({ cyclesPerNs: 25, source: 'probe' });
    // Not significant, and the preset (1/40 ns per cycle) is within the interval: the preset.
    expect(chooseCyclesPerNs({ x: 0.001, error: 0.02 }, 40)).toEqual({ cyclesPerNs: 40, source: 'preset' });
    // Not significant, but the probe allows at most 0.001 + 1.96 * 0.002 ns per cycle, less than the preset's 1/40: bounded.
    const bounded = chooseCyclesPerNs({ x: 0.001, error: 0.002 }, 40);
    expect(bounded.source).toBe('bounded');
    expect(bounded.cyclesPerNs).toBeCloseTo(1 / (0.001 + 1.96 * 0.002), 9);
    expect(bounded.cyclesPerNs).toBeGreaterThan(40);
    expect(chooseCyclesPerNs({ x: -0.5, error: 0.01 }, 40)).toEqual({ cyclesPerNs: 40, source: 'preset' });
    expect(chooseCyclesPerNs({ x: Number.NaN, error: Number.POSITIVE_INFINITY }, 40)).toEqual({ cyclesPerNs: 40, source: 'preset' });
  });
});

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

const anonHugeKiB = () => Number(/AnonHugePages:\s+(\d+) kB/.exec(readFileSync('/proc/self/smaps_rollup', 'utf8'))?.[1] ?? 0);

describe.skipIf(process.platform !== 'linux')('the probe on this machine', () => {
  it('measures dense 4 KiB, 2 MiB and sparse 4 KiB pages at doubling sizes within its budget, and frees its buffers', async () => {
    const hugeBefore = anonHugeKiB();
    const budgetMs = 400;
    const c = await calibrate({ preset: 'zen4-vm', nested: false }, { budgetMs, fresh: true });
    expect(['probe', 'bounded', 'preset']).toContain(c.source);
    expect(c.cyclesPerNs).toBeGreaterThan(0);
    expect(Number.isFinite(c.cyclesPerNs)).toBe(true);
    expect(c.cpu.length).toBeGreaterThan(0);
    const p = c.probe!;
    expect(p).not.toBeNull();
    expect(p.sizes.map((s) => s.bytes)).toEqual(p.sizes.map((_, i) => 8 * MiB * 2 ** i));
    for (const s of p.sizes) {
      expect(s.rounds).toBeGreaterThanOrEqual(3);
      expect(Math.min(s.ns4k, s.ns2m, s.nsSparse)).toBeGreaterThan(0);
      expect(Math.min(s.savedErrorNs, s.sparseExtraErrorNs)).toBeGreaterThan(0);
      // The simulator: 2 MiB pages never cost more translation than 4 KiB ones, and the same
      // pages spread over 64 times as many page-table pages (and fewer TLB sets) always more.
      expect(s.cycles4k).toBeGreaterThanOrEqual(s.cycles2m);
      expect(s.cyclesSparse).toBeGreaterThan(s.cycles4k);
    }
    // ... and a larger buffer never less.
    for (let i = 1; i < p.sizes.length; i++) expect(p.sizes[i]!.cycles4k).toBeGreaterThanOrEqual(p.sizes[i - 1]!.cycles4k * 0.98);
    expect(p.hugeUnits).toBeLessThanOrEqual(p.units);
    expect(p.units).toBe(p.sizes.at(-1)!.bytes / (2 * MiB));
    // Measurement stops at the budget (plus one round); setup doubles only while the next step likely fits.
    expect(p.measureMs).toBeLessThan(budgetMs + 250);
    if (c.source === 'preset') expect(c.reason).toMatch(/not significant|nothing to fit/);
    if (c.source === 'probe' && p.hugeUnits >= 0.9 * p.units) expect(c.reason).toBeNull();
    if (c.source === 'bounded') expect(c.cyclesPerNs).toBeGreaterThan(PRESET_CYCLES_PER_NS.native);
    // Its 2 MiB buffer is gone again (V8 may have gained a huge page or two meanwhile). The fit's
    // simulators keep their page tables in slabs advised huge (native/addon/tlb_simulator.cc)
    // until they are collected: collect them first, so that only the probe's buffers count.
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(anonHugeKiB() - hugeBefore).toBeLessThan(8 * 1024);
  });

  it('probes once per process: the same machine gets the same answer, another machine a new fit of the same measurements', async () => {
    const a = await calibrate({ preset: 'zen4-vm', nested: false });
    const t = performance.now();
    const again = await calibrate({ preset: 'zen4-vm', nested: false });
    expect(again).toBe(a);
    const other = await calibrate({ preset: 'zen2', nested: false });
    expect(performance.now() - t).toBeLessThan(5000); // simulation only: no second probe
    expect(other.machine.preset).toBe('zen2');
    expect(other.probe?.sizes.map((s) => s.ns4k)).toEqual(a.probe?.sizes.map((s) => s.ns4k));
  });

  it('refuses budgets and sizes it cannot honour', () => {
    expect(() => calibrate({ preset: 'zen4-vm', nested: false }, { budgetMs: 10 })).toThrow(/budgetMs must be a number of ms from 50 to 60000/);
    expect(() => calibrate({ preset: 'zen4-vm', nested: false }, { maxBytes: 3 * MiB })).toThrow(/maxBytes must be a power of two from 8 MiB/);
  });
});
