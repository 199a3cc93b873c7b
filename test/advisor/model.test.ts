// The advisor's time model on recordings whose answers are known: where baseNs and
// cyclesPerNs come from, and the directions the prediction must move in. The figures of one
// run (the simulator's cycles, a machine's calibration) are not pinned: only the model's
// structure and its monotonic properties, which hold on any machine.
import { describe, expect, it } from 'vitest';
import { advise, MODEL_DEFAULTS, type HugePageAdvice } from '../../lib/index.js';
import { PRESET_CYCLES_PER_NS, runsUnderHypervisor } from '../../lib/advisor/calibration.js';
import type { RatesLine } from '../../lib/index.js';
import { A, syntheticRecording, type SyntheticOptions } from '../helpers/synthetic-recording.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;
// Native walks: the figures below are about the model's structure, not about which walks this machine has.
const quick = { accesses: 200_000, nested: false };

function hotSet(overrides: Partial<SyntheticOptions> = {}): SyntheticOptions {
  return { total: 2 * GiB, hot: GiB, huge: 0, hotNr: 10, maxNr: 20, sampleIntervalMs: 5, cpuShare: 0.5, ...overrides };
}

/** An older recording: residency lines without cpuMs. */
function withoutCpu(): SyntheticOptions {
  const { cpuShare: _cpuShare, ...rest } = hotSet();
  return rest;
}

function gain(a: HugePageAdvice): number {
  return a.layouts.tuner.speedup - 1;
}

describe('the time model', () => {
  it('takes baseNs from the recorded accesses per CPU second and cyclesPerNs from the calibration', async () => {
    const a = await advise(syntheticRecording(hotSet()), { ...quick, model: { cyclesPerNs: 20 } });
    // 512 hot units of 512 pages, each written with probability 1/2 per 5 ms sample.
    const perSecond = 512 * 512 * (-Math.log(1 - 0.5) / 0.005);
    expect(a.accessRate.perSecond).toBeCloseTo(perSecond, -2);
    expect(a.accessRate.cpuShare).toBeCloseTo(0.5, 9);
    expect(a.accessRate.nsPerAccess).toBeCloseTo((0.5 * 1e9) / perSecond, 6);
    expect(a.calibration).toMatchObject({ source: 'given', cyclesPerNs: 20, probe: null });
    expect(a.model).toMatchObject({ cyclesPerNs: 20, baseSource: 'recording' });
    // The program ran on 4 KiB pages: its own time per access is the 4 KiB layout's.
    expect(a.model.baseNs).toBeCloseTo(a.accessRate.nsPerAccess - a.layouts.base4k.translationCyclesPerAccess / 20, 9);
    const ns = (cycles: number) => a.model.baseNs + cycles / a.model.cyclesPerNs;
    expect(a.layouts.tuner.speedup).toBeCloseTo(ns(a.layouts.base4k.translationCyclesPerAccess) / ns(a.layouts.tuner.translationCyclesPerAccess), 9);
    expect(a.layouts.base4k.speedup).toBe(1);
  });

  it('a program spending more CPU per access (a smaller share of its time on these accesses) gains less', async () => {
    const busy = await advise(syntheticRecording(hotSet({ cpuShare: 1 })), { ...quick, model: { cyclesPerNs: 20 } });
    const lean = await advise(syntheticRecording(hotSet({ cpuShare: 0.25 })), { ...quick, model: { cyclesPerNs: 20 } });
    expect(gain(lean)).toBeGreaterThan(0);
    expect(gain(busy)).toBeLessThan(gain(lean));
    expect(busy.model.baseNs).toBeGreaterThan(lean.model.baseNs);
  });

  it('dearer translation (fewer simulated cycles per ns) predicts more', async () => {
    const r = syntheticRecording(hotSet());
    const dear = await advise(r, { ...quick, model: { cyclesPerNs: 10 } });
    const cheap = await advise(r, { ...quick, model: { cyclesPerNs: 40 } });
    expect(gain(dear)).toBeGreaterThan(gain(cheap));
  });

  it('at the same accesses per second, a hot set the TLB covers gains less than one it does not', async () => {
    // 1000 samples per aggregation resolve the rates; per page 16 times as often in the 64 MiB set.
    const rate = (lambdaTau: number) => Math.round(1000 * (1 - Math.exp(-lambdaTau)));
    const large = await advise(syntheticRecording(hotSet({ hot: GiB, maxNr: 1000, hotNr: rate(0.05) })), { ...quick, model: { cyclesPerNs: 20 } });
    const small = await advise(syntheticRecording(hotSet({ hot: 64 * MiB, maxNr: 1000, hotNr: rate(0.8) })), { ...quick, model: { cyclesPerNs: 20 } });
    expect(small.accessRate.perSecond / large.accessRate.perSecond).toBeGreaterThan(0.95);
    expect(small.accessRate.perSecond / large.accessRate.perSecond).toBeLessThan(1.05);
    expect(gain(large)).toBeGreaterThan(gain(small));
  });

  it('rates are per sample as it really lasted: samples stretched to twice the nominal interval mean half the accesses per second', async () => {
    const nominal = await advise(syntheticRecording(hotSet()), { ...quick, model: { cyclesPerNs: 20 } });
    const stretched = await advise(syntheticRecording(hotSet({ stretch: 2 })), { ...quick, model: { cyclesPerNs: 20 } });
    expect(stretched.accessRate.perSecond / nominal.accessRate.perSecond).toBeCloseTo(0.5, 9);
  });

  it('a recording without CPU time is read as a whole CPU, and says so', async () => {
    const a = await advise(syntheticRecording(withoutCpu()), { ...quick, model: { cyclesPerNs: 20 } });
    expect(a.accessRate.cpuShare).toBeNull();
    expect(a.accessRate.nsPerAccess).toBeCloseTo(1e9 / a.accessRate.perSecond, 9);
    expect(a.caveats.join(' ')).toMatch(/no CPU time/);
  });

  it('a hot set written in every sample is a lower bound, and says so', async () => {
    const a = await advise(syntheticRecording(hotSet({ hotNr: 20 })), { ...quick, model: { cyclesPerNs: 20 } });
    expect(a.accessRate.saturatedBytes).toBe(GiB);
    expect(a.caveats.join(' ')).toMatch(/lower bound/);
  });

  it('a program faster than the translation the model charges it is an upper bound, and says so', async () => {
    const a = await advise(syntheticRecording(hotSet({ cpuShare: 0.05 })), { ...quick, model: { cyclesPerNs: 2 } });
    expect(a.accessRate.nsPerAccess).toBeLessThan(a.layouts.base4k.translationCyclesPerAccess / 2);
    expect(a.model.baseNs).toBe(0);
    expect(a.caveats.join(' ')).toMatch(/upper bound/);
  });

  it("a given baseNs replaces the recording's", async () => {
    const a = await advise(syntheticRecording(hotSet()), { ...quick, model: { cyclesPerNs: 20, baseNs: 100 } });
    expect(a.model).toMatchObject({ baseNs: 100, baseSource: 'given' });
  });
});

describe('the calibration as advise() takes it', () => {
  it("'preset' runs no probe and uses the preset's figure", async () => {
    const a = await advise(syntheticRecording(hotSet()), { accesses: 200_000, calibration: 'preset' });
    const native = await advise(syntheticRecording(hotSet()), { ...quick, nested: false, calibration: 'preset' });
    expect(native.calibration).toMatchObject({ source: 'preset', cyclesPerNs: MODEL_DEFAULTS.cyclesPerNs, probe: null });
    expect(native.calibration.reason).toMatch(/skipped/);
    expect(native.model.cyclesPerNs).toBe(MODEL_DEFAULTS.cyclesPerNs);
    const nested = await advise(syntheticRecording(hotSet()), { ...quick, nested: true, calibration: 'preset' });
    expect(nested.calibration).toMatchObject({ source: 'preset', cyclesPerNs: PRESET_CYCLES_PER_NS.nested, machine: { nested: true } });
    expect(a.calibration.machine.nested).toBe(runsUnderHypervisor());
  });

  it('a Calibration made for another simulated machine is refused', async () => {
    const a = await advise(syntheticRecording(hotSet()), { ...quick, calibration: 'preset' });
    await expect(advise(syntheticRecording(hotSet()), { ...quick, nested: true, calibration: a.calibration })).rejects.toThrow(/calibration must be a Calibration for the simulated machine/);
  });

  it('bad model figures are refused before anything runs', async () => {
    await expect(advise(syntheticRecording(hotSet()), { model: { cyclesPerNs: 0 } })).rejects.toThrow(/model.cyclesPerNs must be a positive number/);
    await expect(advise(syntheticRecording(hotSet()), { model: { baseNs: -1 } })).rejects.toThrow(/model.baseNs must be a number of ns, 0 or more/);
  });

  it("a referenced recording without its windows' lengths (format version 1) is refused, saying to record it again", async () => {
    const r = syntheticRecording(hotSet());
    const referenced = { ...r, header: { ...r.header, source: 'referenced' as const, signal: 'access' as const } };
    await expect(advise(referenced, { ...quick, calibration: 'preset' })).rejects.toThrow(
      /recording must be a referenced recording with its windows' lengths \(recording format version 2: record it again/,
    );
    await expect(advise(r, { ...quick, calibration: 'preset' })).resolves.toBeDefined();
  });
});

describe('a referenced recording (shares of pages used per window, and the rate probe)', () => {
  const hot = 128 * MiB;
  /** Every hot page used in every window of 1 s; rate windows of 10 ms on hot cells that found `share` of 512 resident pages used. */
  function referenced(samples: { share: number; accessBitNs?: number; cells?: number }[]) {
    const rates: RatesLine[] = [
      {
        type: 'rates',
        timeMs: 1000,
        windowMs: 1000,
        samples: samples.flatMap((s) =>
          Array.from({ length: s.cells ?? 4 }, (_, i): [bigint, bigint, number, number, number, number] => {
            const start = BigInt(A + i * 2 * MiB);
            return [start, start + BigInt(2 * MiB), 2 * MiB, Math.round(s.share * 512) * 4096, 10, s.accessBitNs ?? 0];
          }),
        ),
      },
    ];
    return syntheticRecording({ total: 4 * hot, hot, huge: 0, hotNr: 20, maxNr: 20, sampleIntervalMs: 20, cpuShare: 1, rates });
  }

  it('takes accesses per second of saturated units from the rate windows: -ln(1 - share) / window per page', async () => {
    const a = await advise(referenced([{ share: 0.5 }]), { ...quick, model: { cyclesPerNs: 20 } });
    const perPage = -Math.log(1 - Math.round(0.5 * 512) / 512) / 0.01;
    // 64 hot units of 512 pages; the probed units' own figure and the pooled one are the same here.
    expect(a.accessRate.perSecond).toBeCloseTo(64 * 512 * perPage, -1);
    expect(a.accessRate.saturatedBytes).toBe(0);
    expect(a.signal).toBe('access');
    expect(a.caveats.join(' ')).toMatch(/Reads and writes, from windows of 1000 ms and 4 of 4 rate windows/);
    // A hotter rate window means more accesses per second, less CPU per access, more gain.
    const hotter = await advise(referenced([{ share: 0.9 }]), { ...quick, model: { cyclesPerNs: 20 } });
    expect(hotter.accessRate.perSecond).toBeGreaterThan(a.accessRate.perSecond);
    expect(gain(hotter)).toBeGreaterThan(gain(a));
  });

  it("takes the program's time setting Accessed bits again out of a rate window, and leaves out windows it took half of", async () => {
    const plain = await advise(referenced([{ share: 0.5 }]), { ...quick, model: { cyclesPerNs: 20 } });
    // 256 pages at 10 us: 2.56 ms of the 10 ms window.
    const trapped = await advise(referenced([{ share: 0.5, accessBitNs: 10_000 }]), { ...quick, model: { cyclesPerNs: 20 } });
    expect(trapped.accessRate.perSecond / plain.accessRate.perSecond).toBeCloseTo(10 / (10 - 2.56), 2);
    // 256 pages at 30 us: 7.7 ms of 10: left out, and with no other window the saturated units' rate is a lower bound.
    const lost = await advise(referenced([{ share: 0.5, accessBitNs: 30_000 }]), { ...quick, model: { cyclesPerNs: 20 } });
    expect(lost.accessRate.saturatedBytes).toBe(hot);
    expect(lost.caveats.join(' ')).toMatch(/0 of 4 rate windows/);
    expect(lost.caveats.join(' ')).toMatch(/128 MiB had nearly every page used in every window and no rate window said how often: their access rate is a lower bound/);
  });
});
