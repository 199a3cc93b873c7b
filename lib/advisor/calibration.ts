// Calibrates the advisor's time model on the machine it runs on. The simulator counts
// translation cycles as a bare-metal walk would cost them; what such a cycle costs a program in
// time here depends on things no preset knows: nested paging in a VM (a guest walk's every
// reference is translated again through the host's tables), the clock, and how many walks the
// core overlaps. So the advisor measures it: a probe (native, off the JS thread, on buffers of
// its own) times the same random read-modify-write loop over the same number of pages laid out
// three ways (dense on 4 KiB pages, dense on 2 MiB pages, and sparse on 4 KiB pages: one page
// every 256 KiB, so walks need 64 times as many page-table pages and the pages crowd into a
// 64th of a set-associative TLB's sets, as a large hot set's walks and misses do, while the data
// stays that of a small buffer that is cheap to set up), the
// simulator replays the loop on the same layouts, and the measured time differences are fitted
// to the simulated cycle differences: cyclesPerNs = cycles / ns. One probe per process (its raw
// measurement is cached); the fit is redone per simulated machine.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { InvalidArgumentError } from '../errors.js';
import type { NativeTranslationProbe } from '../memory/native.js';
import { callLinux } from '../native/call.js';
import { TlbSimulator } from '../simulator/simulator.js';
import { median, medianError } from './stats.js';

/** The simulated machine the calibration is for: the advisor's replay uses the same. */
export interface SimulatedMachine {
  preset: string;
  nested: boolean;
}

/**
 * Whether this machine runs under a hypervisor (the `hypervisor` CPU flag in /proc/cpuinfo):
 * then its TLB misses walk the guest's and the host's tables (nested paging), and the advisor
 * simulates nested walks unless told otherwise. On the project's VMs that is what the
 * measurements follow: the tuner benchmark's loop gained 16 % at a 1 GiB hot set, where
 * native walks predict 2 % and nested ones 14 % (docs/record-report-advise.md).
 */
export function runsUnderHypervisor(): boolean {
  try {
    return /^flags\s*:.*\bhypervisor\b/m.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return false;
  }
}

export interface CalibrationOptions {
  /** Wall-clock budget of the probe in ms (default 500): setup takes up to 65 % of it, and decides how large the buffers grow. */
  budgetMs?: number;
  /** The largest size, a power of two of at least 8 MiB (default 256 MiB): the probe touches up to three times as many bytes (two dense layouts and a sparse one). */
  maxBytes?: number;
  /** Measure again rather than reuse this process's earlier probe. */
  fresh?: boolean;
}

export interface ProbeSize {
  bytes: number;
  rounds: number;
  /** Median CPU ns per access: dense on 4 KiB pages, dense on 2 MiB pages, sparse on 4 KiB pages. */
  ns4k: number;
  ns2m: number;
  nsSparse: number;
  /** Median of the rounds' paired differences 4 KiB minus 2 MiB (same round), and its standard error. */
  savedNs: number;
  savedErrorNs: number;
  /** Median of the rounds' paired differences sparse minus dense (both 4 KiB), and its standard error. */
  sparseExtraNs: number;
  sparseExtraErrorNs: number;
  /** Simulated translation cycles per access of the same loop on the same layouts. */
  cycles4k: number;
  cycles2m: number;
  cyclesSparse: number;
}

export interface Calibration {
  /**
   * Where cyclesPerNs comes from: `probe` (fitted here, the fit is significant), `bounded` (the
   * preset's figure moved to the nearest end of what the probe allows), `preset` (the preset's
   * figure: probe skipped, impossible, or not contradicting it), `given` (the caller's).
   */
  source: 'probe' | 'bounded' | 'preset' | 'given';
  /** Simulated translation cycles per ns of the program's time. */
  cyclesPerNs: number;
  /** Why the fitted figure was not used as it is, in words; null when it was. */
  reason: string | null;
  cpu: string;
  machine: SimulatedMachine;
  probe: {
    sizes: ProbeSize[];
    setupMs: number;
    measureMs: number;
    /** 2 MiB units of the huge buffer mapped by one PMD, of `units`. */
    hugeUnits: number;
    units: number;
    sliceAccesses: number;
    /** Bytes between the sparse layout's pages. */
    sparseStride: number;
    clock: 'thread-cpu' | 'monotonic';
    /**
     * The weighted least-squares fit, ns saved = ns per cycle x cycles saved, with its standard
     * error; as cycles per ns, with its 95 % interval (null where the fit or an end of the
     * interval allows no translation cost at all).
     */
    fitted: { nsPerCycle: number; nsPerCycleError: number; cyclesPerNs: number | null; low: number | null; high: number | null } | null;
  } | null;
}

/**
 * The figures used without a probe: fitted to the tuner benchmark's random-write loop over a
 * 4 GiB hot set on the `zen4-vm` machine (31.12 and 38.44 M writes/s on 4 KiB and 2 MiB pages,
 * 6.12 ns per access apart, bench/results/tuner-service-2026-11-26.txt) against the translation
 * cycles the simulator saves there: 250.1 with native walks, 319.2 with nested ones. No other
 * preset has a measured figure; they use these.
 */
export const PRESET_CYCLES_PER_NS: Readonly<Record<'native' | 'nested', number>> = Object.freeze({ native: 40.9, nested: 52.2 });

export function presetCyclesPerNs(machine: SimulatedMachine): number {
  return PRESET_CYCLES_PER_NS[machine.nested ? 'nested' : 'native'];
}

/**
 * Sizes where the simulator saves fewer cycles per access than this are shown but not fitted:
 * there the measured difference is noise (or an effect the simulated machine lacks) divided by
 * almost nothing, and would scale every prediction by it.
 */
export const MIN_FITTED_CYCLES = 5;

const MiB = 2 ** 20;
/** Accesses the simulator replays per size and page size (after as many to warm it). */
const SIM_ACCESSES = 50_000;

let probeRun: Promise<NativeTranslationProbe> | null = null;
const fits = new Map<string, Promise<Calibration>>();

function cpuModel(): string {
  return cpus()[0]?.model.trim() ?? 'unknown CPU';
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}

/**
 * Translation cycles per access of the probe's loop on `machine`: `pages` 4 KiB pages `stride`
 * bytes apart (or one dense run of them on 2 MiB pages), a random page and a random word in it,
 * addresses from the probe's own xorshift32.
 */
function simulatedCycles(machine: SimulatedMachine, pages: number, stride: number, pageSize: '4k' | '2m'): number {
  const sim = new TlbSimulator(machine);
  const base = 2 ** 40;
  if (stride === 4096) sim.map(base, pages * 4096, pageSize);
  else for (let i = 0; i < pages; i++) sim.map(base + i * stride, 4096, '4k');
  const batch = new Float64Array(SIM_ACCESSES);
  let x = 0x9e3779b9;
  const fill = () => {
    for (let i = 0; i < batch.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      const u = x >>> 0;
      batch[i] = base + ((u >>> 10) & (pages - 1)) * stride + (u & 1023) * 4;
    }
  };
  fill();
  sim.access(batch); // warm
  sim.clearCounters();
  fill();
  sim.access(batch);
  return sim.stats().cycles.translationPerAccess;
}

/**
 * Weighted least squares through the origin, ns saved = x * cycles saved (x = 1 / cyclesPerNs),
 * each size weighted by its measurement's precision; returns x and its standard error.
 */
export function fitNsPerCycle(points: readonly { cyclesSaved: number; nsSaved: number; errorNs: number }[]): { x: number; error: number } {
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    if (!(p.errorNs > 0) || !Number.isFinite(p.errorNs) || !(p.cyclesSaved >= MIN_FITTED_CYCLES)) continue;
    const w = 1 / (p.errorNs * p.errorNs);
    sxx += w * p.cyclesSaved * p.cyclesSaved;
    sxy += w * p.cyclesSaved * p.nsSaved;
  }
  return sxx > 0 ? { x: sxy / sxx, error: 1 / Math.sqrt(sxx) } : { x: Number.NaN, error: Number.POSITIVE_INFINITY };
}

/**
 * Decides cyclesPerNs from a fit and the preset's figure: the fit when it is significant (its
 * 95 % interval excludes zero cost), else the preset's figure clamped into that interval, so a
 * probe that saw nothing still rules out costs it would have seen.
 */
export function chooseCyclesPerNs(fit: { x: number; error: number }, preset: number): { cyclesPerNs: number; source: Calibration['source'] } {
  const cheapX = fit.x - 1.96 * fit.error; // ns per cycle at the cheap end of the interval
  const dearX = fit.x + 1.96 * fit.error;
  if (!Number.isFinite(fit.x) || !(dearX > 0)) return { cyclesPerNs: preset, source: 'preset' };
  if (cheapX > 0) return { cyclesPerNs: 1 / fit.x, source: 'probe' };
  // Not significant: the probe rules out costs above dearX ns per cycle only.
  if (1 / preset > dearX) return { cyclesPerNs: 1 / dearX, source: 'bounded' };
  return { cyclesPerNs: preset, source: 'preset' };
}

function summarize(machine: SimulatedMachine, size: NativeTranslationProbe['sizes'][number], stride: number): ProbeSize {
  const saved = size.ns4k.map((a, i) => a - size.ns2m[i]!);
  const extra = size.nsSparse.map((sp, i) => sp - size.ns4k[i]!);
  const pages = size.bytes / 4096;
  return {
    bytes: size.bytes,
    rounds: saved.length,
    ns4k: median(size.ns4k),
    ns2m: median(size.ns2m),
    nsSparse: median(size.nsSparse),
    savedNs: median(saved),
    savedErrorNs: medianError(saved),
    sparseExtraNs: median(extra),
    sparseExtraErrorNs: medianError(extra),
    cycles4k: simulatedCycles(machine, pages, 4096, '4k'),
    cycles2m: simulatedCycles(machine, pages, 4096, '2m'),
    cyclesSparse: simulatedCycles(machine, pages, stride, '4k'),
  };
}

const signed = (v: number, e: number) => `${v >= 0 ? '+' : ''}${v.toFixed(2)} ±${e.toFixed(2)}`;

function fromProbe(machine: SimulatedMachine, raw: NativeTranslationProbe): Calibration {
  const sizes = raw.sizes.map((x) => summarize(machine, x, raw.sparseStride));
  const probe = {
    sizes,
    setupMs: raw.setupMs,
    measureMs: raw.measureMs,
    hugeUnits: raw.hugeUnits,
    units: raw.units,
    sliceAccesses: raw.sliceAccesses,
    sparseStride: raw.sparseStride,
    clock: raw.threadCpuClock ? ('thread-cpu' as const) : ('monotonic' as const),
    fitted: null as NonNullable<Calibration['probe']>['fitted'],
  };
  // Two comparisons per size: 4 KiB against 2 MiB pages (only where the probe got 2 MiB pages:
  // THP may be off or memory fragmented), and sparse against dense 4 KiB pages.
  const hugeOk = raw.hugeUnits >= 0.9 * raw.units;
  const points = sizes.flatMap((x) => [
    ...(hugeOk ? [{ cyclesSaved: x.cycles4k - x.cycles2m, nsSaved: x.savedNs, errorNs: x.savedErrorNs }] : []),
    { cyclesSaved: x.cyclesSparse - x.cycles4k, nsSaved: x.sparseExtraNs, errorNs: x.sparseExtraErrorNs },
  ]);
  const fit = fitNsPerCycle(points);
  const preset = presetCyclesPerNs(machine);
  const choice = chooseCyclesPerNs(fit, preset);
  const perNs = (x: number) => (x > 0 ? 1 / x : null);
  probe.fitted = Number.isFinite(fit.x)
    ? { nsPerCycle: fit.x, nsPerCycleError: fit.error, cyclesPerNs: perNs(fit.x), low: perNs(fit.x + 1.96 * fit.error), high: perNs(fit.x - 1.96 * fit.error) }
    : null;
  const largest = sizes.at(-1)!;
  const upTo = `${(largest.bytes / MiB).toFixed(0)} MiB`;
  const seen = `${upTo}: sparse ${signed(largest.sparseExtraNs, largest.sparseExtraErrorNs)} ns per access, 4 KiB pages ${signed(largest.savedNs, largest.savedErrorNs)}`;
  const notes = [
    ...(choice.source === 'probe'
      ? []
      : points.every((x) => x.cyclesSaved < MIN_FITTED_CYCLES)
        ? [
            `the simulated machine differs by under ${MIN_FITTED_CYCLES} cycles per access between the layouts the probe reached (up to ${upTo}), so there is nothing to fit: the preset's ${preset} cycles/ns`,
          ]
        : choice.source === 'bounded'
          ? [`translation cost not significant up to ${seen}; the preset's ${preset} cycles/ns would be more than that allows, so the bound ${choice.cyclesPerNs.toFixed(1)} is used`]
          : [`translation cost not significant up to ${seen}, which does not contradict the preset's ${preset} cycles/ns`]),
    ...(hugeOk ? [] : [`2 MiB pages left out: the probe got ${raw.hugeUnits} of ${raw.units} units on them (THP off or memory fragmented)`]),
  ];
  return { cpu: cpuModel(), machine, probe, source: choice.source, cyclesPerNs: choice.cyclesPerNs, reason: notes.length > 0 ? notes.join('; ') : null };
}

/** The calibration without a probe (skipped, or impossible here): the preset's figure. */
export function presetCalibration(machine: SimulatedMachine, reason: string): Calibration {
  return { source: 'preset', cyclesPerNs: presetCyclesPerNs(machine), reason, cpu: cpuModel(), machine, probe: null };
}

/**
 * Runs the probe (once per process unless `fresh`) and fits cyclesPerNs for `machine`. Costs
 * about `budgetMs` of wall time the first time and maps up to two buffers of `maxBytes` of
 * this process's own, unmapped afterwards; never touches another process. Where the probe
 * cannot run (not Linux, mapping refused) the preset's figure is returned with the reason.
 */
export function calibrate(machine: SimulatedMachine, options: CalibrationOptions = {}): Promise<Calibration> {
  const budgetMs = options.budgetMs ?? 500;
  const maxBytes = options.maxBytes ?? 256 * MiB;
  if (!(Number.isFinite(budgetMs) && budgetMs >= 50 && budgetMs <= 60_000)) throw new InvalidArgumentError('budgetMs', 'a number of ms from 50 to 60000', budgetMs);
  if (!isPowerOfTwo(maxBytes) || maxBytes < 8 * MiB || maxBytes > 2 ** 34) throw new InvalidArgumentError('maxBytes', 'a power of two from 8 MiB to 16 GiB', maxBytes);
  if (options.fresh) {
    probeRun = null;
    fits.clear();
  }
  const key = JSON.stringify(machine);
  let fit = fits.get(key);
  if (!fit) {
    probeRun ??= callLinux('translationProbe', {}, (native) => native.memory.translationProbe(8 * MiB, maxBytes, budgetMs, 16384));
    fit = probeRun.then(
      (raw) => fromProbe(machine, raw),
      (e: unknown) => presetCalibration(machine, `the probe could not run here: ${(e as Error).message}`),
    );
    fits.set(key, fit);
  }
  return fit;
}
