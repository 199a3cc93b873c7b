// This process's own memory, READS included, without privileges
// (native/sources/referenced/): in the role of the `vaddr` operations' prepare_access_checks
// and check_accesses callbacks, a window of Accessed bits per 2 MiB cell instead of one bit
// per sample. docs/sources.md describes the design, its cost, how nr_accesses maps onto its
// windows, and everything it changes in the process while it runs. Its methods are safe while
// the monitor runs.
import { Type, type Static } from '@sinclair/typebox';
import { linuxBinding } from '../native/binding.js';
import { durationToUs } from '../units/duration.js';
import { ratioToBp } from '../units/ratio.js';
import { DurationSchema, RatioSchema, Strict } from '../validation/schemas.js';
import { validate } from '../validation/validate.js';
import type { NativeReferencedSource } from './native.js';
import { toNativeProbeRanges, type ProbeRange } from './probe-range.js';
import { AccessSource, createNative } from './source.js';

const FEATURE = 'referenced access source';
const HOUR_US = 3_600_000_000;

export const referencedSourceProperties = {
  /** Shortest window between two clears of the Accessed bits. Default '1s'. */
  minInterval: Type.Optional(DurationSchema),
  /**
   * CPU allowance of the windows' smaps read and clear, as a share of one core (a ratio above
   * 0): after a window that cost c, the next waits at least c / cpuBudget. Default 0.01.
   */
  cpuBudget: Type.Optional(RatioSchema),
  /**
   * What the clears may cost the program, as a share of its time (0 < x <= 1). After a clear,
   * the next access to each 4 KiB page sets its Accessed bit again, which in a VM can trap to
   * the hypervisor (this project's VMs: ~17 us per page). The source measures that cost on
   * pages of its own at every clear, estimates a window's cost as its referenced 4 KiB pages
   * times it, and waits at least cost / programBudget (a ratio above 0). Default 0.03.
   */
  programBudget: Type.Optional(RatioSchema),
};
const ReferencedSourceSchema = Strict(referencedSourceProperties);
/** @useDeclaredType */
export type ReferencedSourceOptions = Static<typeof ReferencedSourceSchema>;

/** What the source did so far. */
export interface ReferencedSourceState {
  /** Windows completed (smaps read + clear_refs). */
  cycles: number;
  /** CPU time of the last window's read and clear, and of all, in ms (the monitor thread's). */
  lastCycleCpuMs: number;
  totalCycleCpuMs: number;
  /** The wait before the next clear, as last computed from the budgets, in ms. */
  intervalMs: number;
  /**
   * Measured cost of setting one 4 KiB page's Accessed bit again after a clear, in ns, as
   * measured at the clear that opened the last completed window (0 before the first): a cost
   * per page, far below a millisecond (docs/conventions.md).
   */
  accessBitNs: number;
  /** The last window's estimated cost to the program, in ms: the process's referenced anonymous 4 KiB pages in it times accessBitNs. */
  lastWindowProgramMs: number;
  /** Size of the cells monitored memory is split into (0: not split). */
  cellBytes: number;
  /** Cells marked MADV_DONTDUMP now. */
  markedRanges: number;
}

/**
 * The options checked and in the addon's units; `root` prefixes the fields named in errors
 * (the tuner checks its `source` option with it before it makes any source).
 */
export function referencedSourceSettings(options: unknown, root = ''): { minIntervalUs: number; cpuBudgetBp: number; programBudgetBp: number } {
  const o = validate(ReferencedSourceSchema, options ?? {}, root);
  const field = (name: string) => (root === '' ? name : `${root}.${name}`);
  return {
    minIntervalUs: o.minInterval === undefined ? 1_000_000 : durationToUs(field('minInterval'), o.minInterval, 1000, HOUR_US),
    // Budgets in whole basis points, at least one: a zero budget would never allow a window.
    cpuBudgetBp: ratioToBp(field('cpuBudget'), o.cpuBudget ?? 0.01, 1),
    programBudgetBp: ratioToBp(field('programBudget'), o.programBudget ?? 0.03, 1),
  };
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
      lastWindowProgramMs: s.lastWindowProgramNs / 1e6,
      cellBytes: s.cellBytes,
      markedRanges: s.markedRanges,
    };
  }

  /**
   * Per range, its 4 KiB pages referenced in the last completed window (pro rata where one VMA
   * covers more than the range), marking nothing; null before the first window or outside
   * the monitored memory.
   */
  async probe(ranges: readonly ProbeRange[]): Promise<(number | null)[]> {
    return this.#native.probe(toNativeProbeRanges(ranges)).map((n) => (n < 0 ? null : n));
  }
}
