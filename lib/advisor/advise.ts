// The advisor: from a recording, predict what 2 MiB pages would do for the recorded memory
// before acting. The access distribution over 2 MiB units is replayed through the TLB
// simulator three times (everything on 4 KiB pages; the tuner's set, the hot units, on 2 MiB
// pages; everything accessed on 2 MiB pages as THP=always would), and the memory each choice
// adds is counted from the kernel's residency view.
import { stringify } from 'yaml';
import type { TunerOptions } from '../config/options.js';
import { InvalidArgumentError } from '../errors.js';
import type { Recording } from '../record/reader.js';
import { UNIT_BYTES } from '../report/units.js';
import type { SimStats } from '../simulator/types.js';
import { formatBytes } from '../units/bytes.js';
import { accessDistribution, rateAt, type UnitAccess } from './distribution.js';
import { replay } from './replay.js';

export interface AdviseOptions {
  /** Simulator preset (default `zen4-vm`) and nested paging (default: the preset's). */
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
  /** The time model (see MODEL_DEFAULTS): ns of an access apart from translation, simulated translation cycles per ns. */
  model?: Partial<TimeModel>;
}

/**
 * Time per access = baseNs + translation cycles / cyclesPerNs. The simulator charges a walk's
 * memory references one after another; an out-of-order core overlaps the walks and data misses
 * of independent accesses (memory-level parallelism), so a simulated cycle of translation costs
 * less than a cycle of time: `cyclesPerNs` is the clock times that overlap. `baseNs` is what an
 * access costs with translation nearly free (on 2 MiB pages).
 */
export interface TimeModel {
  baseNs: number;
  cyclesPerNs: number;
}

/**
 * Fitted (two figures, two unknowns) to the tuner benchmark's random-write loop over a 4 GiB
 * hot set on this machine kind: 31.12 M writes/s on 4 KiB pages and 38.44 on 2 MiB pages
 * (bench/results/tuner-service-2026-11-26.txt), against 257.3 and 7.2 simulated translation
 * cycles per access (zen4-vm preset, native walks). Programs doing more work per access
 * than that loop have a larger baseNs and gain less; docs/record-report-advise.md.
 */
export const MODEL_DEFAULTS: Readonly<TimeModel> = Object.freeze({ baseNs: 25.84, cyclesPerNs: 40.9 });

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
  model: TimeModel;
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
const SUGGESTED_SAMPLE_US = 50_000;

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
  const hot = (u: UnitAccess) => u.weight > 0 && rateAt(u, SUGGESTED_SAMPLE_US) >= hotRate;
  const inTunerSet = (u: UnitAccess) => hot(u) && absent(u) <= maxPtesNone;
  const touched = (u: { residentPages: number; weight: number }) => u.residentPages > 0 || u.weight > 0;
  const machine = { preset: options.preset ?? 'zen4-vm', nested: options.nested ?? false };
  const model: TimeModel = { ...MODEL_DEFAULTS, ...options.model };
  for (const key of ['baseNs', 'cyclesPerNs'] as const) {
    if (!(model[key] > 0 && Number.isFinite(model[key]))) throw new InvalidArgumentError(`model.${key}`, 'a positive number', model[key]);
  }
  const replayOptions = { machine, warmupAccesses: 500_000, accesses: options.accesses ?? 2_000_000, seed: options.seed ?? 1 };
  if (!dist.units.some((u) => u.weight > 0)) {
    throw new InvalidArgumentError('recording', 'a recording in which some monitored memory was accessed (nothing was: nothing to predict)', `${dist.snapshots} snapshots`);
  }
  const base = await replay(dist.units, () => false, replayOptions);
  const tuner = await replay(dist.units, inTunerSet, replayOptions);
  const always = await replay(dist.units, touched, replayOptions);
  const added = (pick: (u: (typeof dist.units)[number]) => boolean) => dist.units.filter(pick).reduce((sum, u) => sum + absent(u) * 4096, 0);
  const tunerUnits = dist.units.filter(inTunerSet);
  const hotBytes = dist.units.filter(hot).length * UNIT_BYTES;
  const predicted = layout(model, base, tuner, tunerUnits.length, added(inTunerSet));
  const sim = `${machine.preset}, ${machine.nested ? 'nested' : 'native'} walks; ${model.baseNs} ns + translation cycles / ${model.cyclesPerNs} per access`;
  return {
    machine: sim,
    model,
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
      monitoring: { sampleInterval: `${SUGGESTED_SAMPLE_US / 1000}ms`, aggregationInterval: '1s', maxRegions: 50, opsUpdateInterval: '10s' },
      schemes: [
        {
          action: 'collapse',
          pattern: { size: { min: '2M' }, accessRate: { min: `${Math.round(hotRate * 100)}%` } },
          quota: { time: '500ms', size: quotaSize(hotBytes), goals: [{ metric: 'hugepage_mem_bp', target: '100%' }], tuner: 'temporal' },
        },
      ],
      maxPtesNone,
    },
    caveats: [
      'The speedup is of the access path to the recorded memory (address translation), not of the whole program: time spent elsewhere dilutes it.',
      ...(recording.header.signal === 'write' ? ['The recording saw writes only (pagemap source): memory that is only read looked cold, and huge pages read as written.'] : []),
    ],
  };
}

export function formatAdvice(a: HugePageAdvice): string {
  const row = (name: string, l: LayoutPrediction) =>
    `${name.padEnd(28)} ${String(l.hugeUnits).padStart(7)}  ${l.translationCyclesPerAccess.toFixed(1).padStart(8)}  ${(l.l2MissRate * 100).toFixed(1).padStart(7)} %  ${l.speedup.toFixed(3).padStart(7)}x  ${formatBytes(l.addedBytes).padStart(12)}`;
  const gain = (a.layouts.tuner.speedup - 1) * 100;
  return [
    `monitored ${formatBytes(a.monitoredBytes)}, resident ${formatBytes(a.residentBytes)}, accessed ${formatBytes(a.accessedBytes)}, hot (access rate >= ${(a.hotRate * 100).toFixed(1)} % at 50 ms sampling) ${formatBytes(a.hotBytes)}; ${a.snapshots} snapshots`,
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
