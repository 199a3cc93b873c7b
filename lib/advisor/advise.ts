// The advisor: from a recording, predict what 2 MiB pages would do for the recorded memory
// before acting. The access distribution over 2 MiB units is replayed through the TLB
// simulator three times (everything on 4 KiB pages; the tuner's set, the hot units, on 2 MiB
// pages; everything accessed on 2 MiB pages as THP=always would), and the memory each choice
// adds is counted from the kernel's residency view. Simulated cycles become time through a
// model whose two figures are found, not assumed: what a translation cycle costs on this
// machine (calibration.ts, a probe), and what the recorded program spends per access apart
// from translation (its recorded access rate and CPU time).
import { stringify } from 'yaml';
import type { TunerOptions } from '../config/options.js';
import { InvalidArgumentError } from '../errors.js';
import type { Recording } from '../record/reader.js';
import { UNIT_BYTES } from '../report/units.js';
import type { SimStats } from '../simulator/types.js';
import { formatBytes } from '../units/bytes.js';
import { calibrate, PRESET_CYCLES_PER_NS, presetCalibration, runsUnderHypervisor, type Calibration, type SimulatedMachine } from './calibration.js';
import { accessDistribution, accessRate, rateAt, type AccessRate, type UnitAccess } from './distribution.js';
import { replay } from './replay.js';

export interface AdviseOptions {
  /** Simulator preset (default `zen4-vm`) and nested paging (default: when this machine runs under a hypervisor, runsUnderHypervisor()). */
  preset?: string;
  nested?: boolean;
  /**
   * A unit is hot, and in the tuner's set, from this access rate on (default 0.05, the
   * recommended pattern), judged at the suggested configuration's sampling interval (50 ms)
   * whatever the recording's was.
   */
  hotRate?: number;
  /** Most absent 4 KiB pages a unit may have and be collapsed (the tuner's bloat bound, default 64). */
  maxPtesNone?: number;
  /** A predicted gain at or above this is "worth it" (default 0.10). */
  threshold?: number;
  accesses?: number;
  seed?: number;
  /**
   * Overrides of the time model (TimeModel): `cyclesPerNs` replaces the calibration (no probe
   * runs), `baseNs` replaces the figure taken from the recording.
   */
  model?: Partial<TimeModel>;
  /**
   * How `cyclesPerNs` is found: `'probe'` (default) measures this machine (calibrate(): about
   * half a second, once per process, on memory of its own); `'preset'` uses the preset's
   * figure; or a Calibration from calibrate().
   */
  calibration?: 'probe' | 'preset' | Calibration;
  /** With `calibration: 'probe'`: the probe's wall-time budget in ms (default 500; the first probe of the process decides, calibrate()). */
  calibrationBudgetMs?: number;
}

/**
 * Time per access = baseNs + translation cycles / cyclesPerNs. The simulator charges a walk's
 * memory references one after another at a bare-metal machine's cost; `cyclesPerNs` says what
 * such a cycle costs a program here in time (the clock, nested paging in a VM, and the
 * overlap of the walks of independent accesses all in one figure), measured by the calibration
 * probe. `baseNs` is what one access costs the program apart from translation: its CPU time
 * per access as recorded, less the translation the replay charges to the recorded layout. A
 * program doing more work per access has fewer accesses per second, a larger baseNs, and gains
 * less.
 */
export interface TimeModel {
  baseNs: number;
  cyclesPerNs: number;
}

/**
 * The preset time model: `cyclesPerNs` is used when the calibration probe is skipped or cannot
 * run (PRESET_CYCLES_PER_NS: fitted to the tuner benchmark's 4 GiB random-write loop on the
 * zen4-vm machine, bench/results/tuner-service-2026-11-26.txt); `baseNs` is that loop's own
 * figure from the same fit, for reference: advise() takes each program's from its recording.
 */
export const MODEL_DEFAULTS: Readonly<TimeModel> = Object.freeze({ baseNs: 25.84, cyclesPerNs: PRESET_CYCLES_PER_NS.native });

export interface LayoutPrediction {
  /** Units on 2 MiB pages in this layout, and their bytes. */
  hugeUnits: number;
  translationCyclesPerAccess: number;
  l2MissRate: number;
  /** Predicted speedup of the access path over 4 KiB pages. */
  speedup: number;
  /** Zero-filled bytes this layout adds (absent 4 KiB pages of the units made huge). */
  addedBytes: number;
}

export interface HugePageAdvice {
  machine: string;
  /** The time model used, and where its baseNs came from (`recording`, or `given` in options.model). */
  model: TimeModel & { baseSource: 'recording' | 'given' };
  /** Where cyclesPerNs came from: the probe's measurements, or why a preset figure stands in. */
  calibration: Calibration;
  /**
   * The recorded program's accesses (writes only with the pagemap source): per second, the
   * share of a CPU it had, and the CPU ns per access they make, from which baseNs comes.
   */
  accessRate: AccessRate & { nsPerAccess: number };
  signal: 'access' | 'write';
  snapshots: number;
  monitoredBytes: number;
  residentBytes: number;
  accessedBytes: number;
  hotBytes: number;
  hotRate: number;
  layouts: { base4k: LayoutPrediction; tuner: LayoutPrediction; always: LayoutPrediction };
  threshold: number;
  worthIt: boolean;
  suggestedConfig: TunerOptions;
  /** What the prediction cannot see, in words. */
  caveats: string[];
}

/** The suggested configuration's sampling interval: docs/tuning.md's recommendation for a live service (few write-protections). */
const SUGGESTED_SAMPLE_MS = 50;

/** Predicted ns per access of a simulated layout. */
export function modelNs(model: TimeModel, translationCyclesPerAccess: number): number {
  return model.baseNs + translationCyclesPerAccess / model.cyclesPerNs;
}

function layout(model: TimeModel, base: SimStats, stats: SimStats, hugeUnits: number, addedBytes: number): LayoutPrediction {
  return {
    hugeUnits,
    translationCyclesPerAccess: stats.cycles.translationPerAccess,
    l2MissRate: stats.accesses > 0 ? stats.l2.totalMisses / stats.accesses : 0,
    speedup: modelNs(model, base.cycles.translationPerAccess) / modelNs(model, stats.cycles.translationPerAccess),
    addedBytes,
  };
}

/** The smallest size of the form 2^k MiB holding `bytes` (at least 128 MiB, the RFC's default quota). */
function quotaSize(bytes: number): string {
  let mib = 128;
  while (mib * 2 ** 20 < bytes) mib *= 2;
  return mib >= 1024 ? `${mib / 1024}G` : `${mib}M`;
}

export async function advise(recording: Recording, options: AdviseOptions = {}): Promise<HugePageAdvice> {
  const hotRate = options.hotRate ?? 0.05;
  const maxPtesNone = options.maxPtesNone ?? 64;
  const threshold = options.threshold ?? 0.1;
  if (!(hotRate > 0 && hotRate <= 1)) throw new InvalidArgumentError('hotRate', 'a share above 0, at most 1', hotRate);
  if (!Number.isInteger(maxPtesNone) || maxPtesNone < 0 || maxPtesNone > 511) throw new InvalidArgumentError('maxPtesNone', 'an integer from 0 to 511', maxPtesNone);
  const dist = accessDistribution(recording);
  const absent = (u: { residentPages: number }) => 512 - u.residentPages;
  const hot = (u: UnitAccess) => u.weight > 0 && rateAt(u, SUGGESTED_SAMPLE_MS) >= hotRate;
  const inTunerSet = (u: UnitAccess) => hot(u) && absent(u) <= maxPtesNone;
  const touched = (u: { residentPages: number; weight: number }) => u.residentPages > 0 || u.weight > 0;
  const machine: SimulatedMachine = { preset: options.preset ?? 'zen4-vm', nested: options.nested ?? runsUnderHypervisor() };
  for (const key of ['baseNs', 'cyclesPerNs'] as const) {
    const v = options.model?.[key];
    if (v !== undefined && !((key === 'baseNs' ? v >= 0 : v > 0) && Number.isFinite(v)))
      throw new InvalidArgumentError(`model.${key}`, key === 'baseNs' ? 'a number of ns, 0 or more' : 'a positive number', v);
  }
  const replayOptions = { machine, warmupAccesses: 500_000, accesses: options.accesses ?? 2_000_000, seed: options.seed ?? 1 };
  if (!dist.units.some((u) => u.weight > 0)) {
    throw new InvalidArgumentError('recording', 'a recording in which some monitored memory was accessed (nothing was: nothing to predict)', `${dist.snapshots} snapshots`);
  }
  const calibration = await calibrationFor(machine, options);
  const base = await replay(dist.units, () => false, replayOptions);
  const tuner = await replay(dist.units, inTunerSet, replayOptions);
  const always = await replay(dist.units, touched, replayOptions);
  // The layout the program ran on while recorded: its base is measured there.
  const recorded = dist.units.some((u) => u.huge) ? await replay(dist.units, (u) => u.huge, replayOptions) : base;
  const rate = accessRate(recording, dist);
  const nsPerAccess = (1e9 * (rate.cpuShare ?? 1)) / rate.perSecond;
  const cyclesPerNs = calibration.cyclesPerNs;
  const derivedBase = nsPerAccess - recorded.cycles.translationPerAccess / cyclesPerNs;
  const model = { cyclesPerNs, baseNs: options.model?.baseNs ?? Math.max(0, derivedBase), baseSource: options.model?.baseNs === undefined ? ('recording' as const) : ('given' as const) };
  const added = (pick: (u: (typeof dist.units)[number]) => boolean) => dist.units.filter(pick).reduce((sum, u) => sum + absent(u) * 4096, 0);
  const tunerUnits = dist.units.filter(inTunerSet);
  const hotBytes = dist.units.filter(hot).length * UNIT_BYTES;
  const predicted = layout(model, base, tuner, tunerUnits.length, added(inTunerSet));
  const sim = `${machine.preset}, ${machine.nested ? 'nested' : 'native'} walks; ${model.baseNs.toFixed(2)} ns + translation cycles / ${cyclesPerNs.toFixed(1)} per access`;
  const caveats = [
    'The speedup is of the access path to the recorded memory (address translation), not of the whole program: time spent elsewhere dilutes it.',
    ...(recording.header.signal === 'write' ? ['The recording saw writes only (pagemap source): memory that is only read looked cold, and huge pages read as written.'] : []),
    ...(rate.cpuShare === null
      ? ['The recording has no CPU time of the process (older format): its accesses per second are taken as per CPU second, which understates the gain if the process did not have a whole CPU.']
      : []),
    ...(rate.saturatedBytes > 0
      ? [
          dist.rateProbe
            ? `${formatBytes(rate.saturatedBytes)} had nearly every page used in every window and no rate window said how often: their access rate is a lower bound (record longer), so the gain may be understated.`
            : `${formatBytes(rate.saturatedBytes)} were accessed in nearly every sample: their access rate is a lower bound (record with a shorter --sample to resolve it), so the gain may be understated.`,
        ]
      : []),
    ...(dist.rateProbe
      ? [
          `Reads and writes, from windows of ${dist.rateProbe.windowMs.toFixed(0)} ms and ${dist.rateProbe.used} of ${dist.rateProbe.samples} rate windows${dist.rateProbe.perPageHz === null ? '' : ` (${dist.rateProbe.perPageHz.toFixed(1)} accesses per second per page of the mostly-used cells)`}. Where setting Accessed bits again is costly (a VM), the rate windows undercount, and the gain may be understated (docs/record-report-advise.md).`,
        ]
      : []),
    ...(options.model?.baseNs === undefined && derivedBase < 0
      ? [
          `The recorded ${nsPerAccess.toFixed(1)} ns per access is less than the translation time the model charges to it (${(recorded.cycles.translationPerAccess / cyclesPerNs).toFixed(1)} ns): the model overstates translation here, and the prediction is an upper bound.`,
        ]
      : []),
  ];
  return {
    machine: sim,
    model,
    calibration,
    accessRate: { ...rate, nsPerAccess },
    signal: recording.header.signal,
    snapshots: dist.snapshots,
    monitoredBytes: dist.units.length * UNIT_BYTES,
    residentBytes: dist.units.reduce((sum, u) => sum + u.residentPages * 4096, 0),
    accessedBytes: dist.units.filter((u) => u.weight > 0).length * UNIT_BYTES,
    hotBytes,
    hotRate,
    layouts: {
      base4k: layout(model, base, base, 0, 0),
      tuner: predicted,
      always: layout(model, base, always, dist.units.filter(touched).length, added(touched)),
    },
    threshold,
    worthIt: predicted.speedup - 1 >= threshold,
    suggestedConfig: {
      monitoring: { sampleInterval: `${SUGGESTED_SAMPLE_MS}ms`, aggregationInterval: '1s', maxRegions: 50, opsUpdateInterval: '10s' },
      schemes: [
        {
          action: 'collapse',
          pattern: { size: { min: '2M' }, accessRate: { min: `${Math.round(hotRate * 100)}%` } },
          quota: { time: '500ms', size: quotaSize(hotBytes), goals: [{ metric: 'hugepage_mem_bp', target: '100%' }], tuner: 'temporal' },
        },
      ],
      maxPtesNone,
    },
    caveats,
  };
}

/** The calibration advise() uses: the caller's figure or Calibration, the preset's, or the probe's (cached per process). */
async function calibrationFor(machine: SimulatedMachine, options: AdviseOptions): Promise<Calibration> {
  const given = options.model?.cyclesPerNs;
  if (given !== undefined) return { ...presetCalibration(machine, 'cyclesPerNs given by the caller'), source: 'given', cyclesPerNs: given };
  const choice = options.calibration ?? 'probe';
  if (choice === 'preset') return presetCalibration(machine, 'the probe was skipped');
  if (choice === 'probe') return calibrate(machine, options.calibrationBudgetMs === undefined ? {} : { budgetMs: options.calibrationBudgetMs });
  if (typeof choice !== 'object' || choice === null || !(choice.cyclesPerNs > 0)) throw new InvalidArgumentError('calibration', "'probe', 'preset' or a Calibration from calibrate()", choice);
  if (choice.machine.preset !== machine.preset || choice.machine.nested !== machine.nested) {
    throw new InvalidArgumentError('calibration', `a Calibration for the simulated machine advise() uses (${machine.preset}, ${machine.nested ? 'nested' : 'native'})`, choice.machine);
  }
  return choice;
}

/** The calibration as lines of text: where cyclesPerNs comes from and what the probe measured. */
export function formatCalibration(c: Calibration): string[] {
  const head = `calibration (${c.source}): ${c.cyclesPerNs.toFixed(1)} simulated cycles per ns on ${c.cpu}, ${c.machine.preset} ${c.machine.nested ? 'nested' : 'native'} walks`;
  const lines = [head + (c.reason ? `; ${c.reason}` : '')];
  const p = c.probe;
  if (p) {
    const f = p.fitted;
    const perNs = (v: number | null) => (v === null ? 'no cost' : v.toFixed(1));
    const fit = !f ? 'no fit' : f.cyclesPerNs === null && f.low === null ? 'no translation cost seen' : `fit ${perNs(f.cyclesPerNs)} cycles/ns (95 %: ${perNs(f.low)} to ${perNs(f.high)})`;
    lines.push(
      `  probe: random 32-bit read-modify-writes over the same pages dense on 4 KiB, dense on 2 MiB (${p.hugeUnits} of ${p.units} units got them) and sparse on 4 KiB pages (${formatBytes(p.sparseStride)} apart), ${p.sliceAccesses} per slice on the ${p.clock === 'thread-cpu' ? "thread's CPU clock" : 'monotonic clock'}; setup ${p.setupMs.toFixed(0)} ms, measured ${p.measureMs.toFixed(0)} ms; ${fit}`,
    );
    lines.push(
      `  ${'size'.padStart(8)}  ${'rounds'.padStart(6)}  ${'ns 4K / 2M / sparse'.padStart(21)}  ${'4K - 2M ns'.padStart(13)}  ${'sparse - 4K ns'.padStart(14)}  ${'sim cycles 4K / 2M / sparse'.padStart(27)}`,
    );
    for (const s of p.sizes) {
      const pm = (v: number, e: number) => `${v >= 0 ? '+' : ''}${v.toFixed(2)} ±${e.toFixed(2)}`;
      lines.push(
        `  ${formatBytes(s.bytes).padStart(8)}  ${String(s.rounds).padStart(6)}  ${`${s.ns4k.toFixed(2)} / ${s.ns2m.toFixed(2)} / ${s.nsSparse.toFixed(2)}`.padStart(21)}  ${pm(s.savedNs, s.savedErrorNs).padStart(13)}  ${pm(s.sparseExtraNs, s.sparseExtraErrorNs).padStart(14)}  ${`${s.cycles4k.toFixed(1)} / ${s.cycles2m.toFixed(1)} / ${s.cyclesSparse.toFixed(1)}`.padStart(27)}`,
      );
    }
  }
  return lines;
}

export function formatAdvice(a: HugePageAdvice): string {
  const row = (name: string, l: LayoutPrediction) =>
    `${name.padEnd(28)} ${String(l.hugeUnits).padStart(7)}  ${l.translationCyclesPerAccess.toFixed(1).padStart(8)}  ${(l.l2MissRate * 100).toFixed(1).padStart(7)} %  ${l.speedup.toFixed(3).padStart(7)}x  ${formatBytes(l.addedBytes).padStart(12)}`;
  const gain = (a.layouts.tuner.speedup - 1) * 100;
  const r = a.accessRate;
  const base =
    a.model.baseSource === 'given'
      ? 'given'
      : `from the recording: ${(r.perSecond / 1e6).toFixed(2)} M ${a.signal === 'write' ? 'writes' : 'accesses'}/s at ${r.cpuShare === null ? 'an assumed whole' : r.cpuShare.toFixed(2)} CPU = ${r.nsPerAccess.toFixed(1)} ns each, less their translation`;
  return [
    `monitored ${formatBytes(a.monitoredBytes)}, resident ${formatBytes(a.residentBytes)}, accessed ${formatBytes(a.accessedBytes)}, hot (access rate >= ${(a.hotRate * 100).toFixed(1)} % at 50 ms sampling) ${formatBytes(a.hotBytes)}; ${a.snapshots} snapshots`,
    `time model: ns per access = ${a.model.baseNs.toFixed(2)} (${base}) + translation cycles / ${a.model.cyclesPerNs.toFixed(1)}`,
    ...formatCalibration(a.calibration),
    `simulated on ${a.machine}:`,
    `${'layout'.padEnd(28)} ${'2M units'.padStart(7)}  ${'cyc/acc'.padStart(8)}  ${'L2 miss'.padStart(9)}  ${'speedup'.padStart(8)}  ${'memory added'.padStart(12)}`,
    row('4 KiB pages', a.layouts.base4k),
    row('tuner: hot units on 2 MiB', a.layouts.tuner),
    row('THP=always: all touched', a.layouts.always),
    '',
    `${a.worthIt ? 'worth it' : 'not worth it'}: predicted gain ${gain.toFixed(1)} % ${a.worthIt ? '>=' : '<'} ${(a.threshold * 100).toFixed(0)} %` +
      (a.layouts.always.addedBytes > a.layouts.tuner.addedBytes ? `; the tuner adds ${formatBytes(a.layouts.tuner.addedBytes)} where THP=always adds ${formatBytes(a.layouts.always.addedBytes)}` : ''),
    ...a.caveats.map((c) => `note: ${c}`),
    '',
    '# suggested tuner.yaml (thp-autotune tune --config tuner.yaml)',
    stringify(a.suggestedConfig).trimEnd(),
  ].join('\n');
}
