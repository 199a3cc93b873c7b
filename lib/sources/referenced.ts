// This process's own memory, READS included, without privileges
// (native/sources/referenced/): in the role of the `vaddr` operations' prepare_access_checks
// and check_accesses callbacks, a few armed 2 MiB cells per region and window instead of one
// page per region and sample. docs/sources.md describes the design, its cost, how nr_accesses
// maps onto its windows, and everything it changes in the process while it runs. Its methods are safe while
// the monitor runs.
import { Type, type Static } from '@sinclair/typebox';
import { InvalidArgumentError } from '../errors.js';
import { linuxBinding } from '../native/binding.js';
import { durationToUs, type Duration } from '../units/duration.js';
import { ratioToBp } from '../units/ratio.js';
import { DurationSchema, RatioSchema, Strict } from '../validation/schemas.js';
import { validate } from '../validation/validate.js';
import type { NativeReferencedSource, ReferencedSettings } from './native.js';
import { toNativeProbeRanges, type ProbeRange } from './probe-range.js';
import { AccessSource, createNative } from './source.js';

const FEATURE = 'referenced access source';
const HOUR_US = 3_600_000_000;
const WEEK_US = 168 * HOUR_US;

export const referencedSourceProperties = {
  /** Shortest window: time between two openings (arming cells, reading smaps). Default '1s'. */
  minInterval: Type.Optional(DurationSchema),
  /**
   * CPU allowance of the openings' smaps read and arming, as a share of one core (a ratio
   * above 0): after an opening that cost c, the next waits at least c / cpuBudget. Default 0.01.
   */
  cpuBudget: Type.Optional(RatioSchema),
  /**
   * What the windows may cost the program, as a share of its time (a ratio above 0). Arming a
   * cell clears its pages' Accessed bits, and the next access to each sets it again, which in
   * a VM can trap to the hypervisor (this project's VMs: 5-30 us per 4 KiB page). The source
   * measures that cost on pages of its own at every opening, counts a window's cost as the
   * armed pages used in it times that, plus the arming time (the program's threads wait for
   * its TLB flushes), and waits at least cost / programBudget; no window may arm more resident
   * pages than the budget of a 10 s window pays for. Default 0.02: the count misses part of the
   * cost (a reader lost 1.2-1.4 times the count in this project's VMs, docs/sources.md), and
   * 2% keeps the loss within 3%.
   */
  programBudget: Type.Optional(RatioSchema),
  /**
   * How long a cell wholly on 2 MiB pages may go without being armed: until its latest
   * observation is this old, that observation stands in for it. Default '10s'; 0 arms such
   * cells like any other. In this project's VMs each window that armed some of a reader's
   * huge-mapped hot cells stalled the reader once for milliseconds (docs/sources.md), and
   * whether memory already on huge pages is used changes nothing the tuner does.
   */
  hugeInterval: Type.Optional(DurationSchema),
  /**
   * The rate probe's first short window, from 1 ms to 50 ms; 0 (the default) turns it off.
   * A window of about a second tells which pages are used, not how often. With the probe, each
   * opening also arms one cell that the windows found mostly used, waits this long (the
   * sampler thread sleeps), and counts the pages used in that time: takeRateSamples(). The
   * wait adapts (halved when nearly all were used, doubled when under 30 %). The recorder turns
   * it on for the advisor; one more cell per window costs the program about as much as one
   * armed cell (docs/sources.md, "Rate probe").
   */
  rateWindow: Type.Optional(DurationSchema),
};
const ReferencedSourceSchema = Strict(referencedSourceProperties);
const ProbeOptionsSchema = Strict({ maxAge: Type.Optional(DurationSchema) });
/** @useDeclaredType */
export type ReferencedSourceOptions = Static<typeof ReferencedSourceSchema>;

/** What the source did so far. */
export interface ReferencedSourceState {
  /** Windows completed. */
  cycles: number;
  /** CPU time of the last opening (smaps read and arming), and of all, in ms (the monitor thread's). */
  lastCycleCpuMs: number;
  totalCycleCpuMs: number;
  /** The wait before the next opening, as last computed from the budgets, in ms. */
  intervalMs: number;
  /**
   * Cost of setting one 4 KiB page's Accessed bit again after MADV_COLD, in ns, as measured
   * when the last completed window opened (0 before the first): a cost per page, far below a
   * millisecond (docs/conventions.md).
   */
  accessBitNs: number;
  /** How long arming the last completed window took, in ms: the program's threads are counted as stalled throughout (they wait for the TLB flushes of MADV_COLD). */
  armingStallMs: number;
  /** What the last completed window cost the program, in ms: the armed 4 KiB pages (and PMD-mapped 2 MiB pages) used in it times accessBitNs, plus armingStallMs. */
  lastWindowProgramMs: number;
  /** Size of the cells monitored memory is split into (0: not split). */
  cellBytes: number;
  /** Cells marked MADV_DONTDUMP now. */
  markedRanges: number;
  /** Cells armed when the open window opened (at most eight per region). */
  armedCells: number;
  /** Cells wholly on 2 MiB pages that the open window left alone, their latest observation standing in (`hugeInterval`). */
  carriedCells: number;
  /** Length of the last completed window, opening to closing, in ms (0 before the second opening). */
  lastWindowMs: number;
  /** The rate probe's next short window in ms (0: probe off). */
  rateWindowMs: number;
  /** Rate cells observed so far. */
  rateSamples: number;
}

/**
 * One rate cell's short window (`rateWindow`): of its resident 4 KiB pages, how many the
 * program used within `windowMs`. Setting an armed page's Accessed bit again cost the program
 * about `accessBitNs` per page, time in which it accessed nothing else.
 */
export interface RateSample {
  start: number;
  end: number;
  residentBytes: number;
  referencedBytes: number;
  windowMs: number;
  accessBitNs: number;
}

/**
 * The options checked and in the addon's units; `root` prefixes the fields named in errors
 * (the tuner checks its `source` option with it before it makes any source).
 */
export function referencedSourceSettings(options: unknown, root = ''): ReferencedSettings {
  const o = validate(ReferencedSourceSchema, options ?? {}, root);
  const field = (name: string) => (root === '' ? name : `${root}.${name}`);
  return {
    minIntervalUs: o.minInterval === undefined ? 1_000_000 : durationToUs(field('minInterval'), o.minInterval, 1000, HOUR_US),
    // Budgets in whole basis points, at least one: a zero budget would never allow a window.
    cpuBudgetBp: ratioToBp(field('cpuBudget'), o.cpuBudget ?? 0.01, 1),
    programBudgetBp: ratioToBp(field('programBudget'), o.programBudget ?? 0.02, 1),
    hugeIntervalUs: o.hugeInterval === undefined ? 10_000_000 : durationToUs(field('hugeInterval'), o.hugeInterval, 0, HOUR_US),
    rateWindowUs: rateWindowUs(field('rateWindow'), o.rateWindow),
  };
}

/** 0, or from 1 ms to 50 ms (the native source's kMinRateWindowUs and kMaxRateWindowUs). */
function rateWindowUs(field: string, value: unknown): number {
  if (value === undefined) return 0;
  const us = durationToUs(field, value, 0, 50_000);
  if (us !== 0 && us < 1000) throw new InvalidArgumentError(field, '0 (off), or a duration from 1ms to 50ms', value);
  return us;
}

export class ReferencedSource extends AccessSource {
  readonly signal = 'access';
  readonly #native: NativeReferencedSource;

  constructor(options: ReferencedSourceOptions = {}) {
    const settings = referencedSourceSettings(options);
    const native = createNative(FEATURE, () => new (linuxBinding(FEATURE).ReferencedSource)(settings));
    super({ native, kernel: false });
    this.#native = native;
  }

  /** Windows so far, their cost, and how it split memory. */
  state(): ReferencedSourceState {
    const s = this.#native.state();
    return {
      cycles: s.cycles,
      lastCycleCpuMs: s.lastCycleCpuNs / 1e6,
      totalCycleCpuMs: s.totalCycleCpuNs / 1e6,
      intervalMs: s.intervalUs / 1000,
      accessBitNs: s.accessBitNs,
      armingStallMs: s.armingStallNs / 1e6,
      lastWindowProgramMs: s.lastWindowProgramNs / 1e6,
      cellBytes: s.cellBytes,
      markedRanges: s.markedRanges,
      armedCells: s.armedCells,
      carriedCells: s.carriedCells,
      lastWindowMs: s.lastWindowUs / 1000,
      rateWindowMs: s.rateWindowUs / 1000,
      rateSamples: s.rateObservations,
    };
  }

  /** The rate cells observed since the last call (`rateWindow`; the source keeps at most 4096). */
  takeRateSamples(): RateSample[] {
    return this.#native
      .takeRates()
      .map(([start, end, residentBytes, referencedBytes, windowNs, accessBitNs]) => ({ start, end, residentBytes, referencedBytes, windowMs: windowNs / 1e6, accessBitNs }));
  }

  /**
   * Per range, its 4 KiB pages referenced in the last completed window, over the cells armed
   * in it (pro rata where one VMA covers more than the range), marking nothing; null where no
   * cell of the range was armed in that window (before the first, outside the monitored
   * memory, or not sampled). With `maxAge`, each cell's latest window counts if it closed at
   * most that long ago (the last window always counts): a region larger than eight cells has
   * a few armed per window, and over several windows all of them.
   */
  async probe(ranges: readonly ProbeRange[], options: { maxAge?: Duration } = {}): Promise<(number | null)[]> {
    const o = validate(ProbeOptionsSchema, options);
    const maxAgeUs = o.maxAge === undefined ? -1 : durationToUs('maxAge', o.maxAge, 0, WEEK_US);
    return this.#native.probe(toNativeProbeRanges(ranges), maxAgeUs).map((n) => (n < 0 ? null : n));
  }
}
