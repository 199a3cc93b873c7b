// This process's own memory, READS included, without privileges
// (native/sources/referenced/): in the role of the `vaddr` operations' prepare_access_checks
// and check_accesses callbacks, a window of Accessed bits per 2 MiB cell instead of one bit
// per sample. docs/sources.md describes the design, its cost, how nr_accesses maps onto its
// windows, and everything it changes in the process while it runs. Its methods are safe while
// the monitor runs.
import { InvalidArgumentError } from '../errors.js';
import { linuxBinding } from '../native/binding.js';
import { durationToUs, type Duration } from '../units/duration.js';
import type { NativeReferencedSource } from './native.js';
import { toNativeProbeRanges, type ProbeRange } from './probe-range.js';
import { AccessSource, createNative } from './source.js';

const FEATURE = 'referenced access source';
const HOUR_US = 3_600_000_000;

export interface ReferencedSourceOptions {
  /** Shortest window between two clears of the Accessed bits. Default '1s'. */
  minInterval?: Duration;
  /**
   * CPU allowance of the windows' smaps read and clear, as a share of one core (0 < x <= 1):
   * after a window that cost c, the next waits at least c / cpuBudget. Default 0.01.
   */
  cpuBudget?: number;
  /**
   * What the clears may cost the program, as a share of its time (0 < x <= 1). After a clear,
   * the next access to each 4 KiB page sets its Accessed bit again, which in a VM can trap to
   * the hypervisor (this project's VMs: ~17 us per page). The source measures that cost on
   * pages of its own at every clear, estimates a window's cost as its referenced 4 KiB pages
   * times it, and waits at least cost / programBudget. Default 0.03.
   */
  programBudget?: number;
}

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
   * Measured cost of setting one 4 KiB page's Accessed bit again after a clear, in ns: a cost
   * per page, far below a millisecond (docs/conventions.md).
   */
  accessBitNs: number;
  /** The last window's estimated cost to the program, in ms: its referenced 4 KiB pages times accessBitNs. */
  lastWindowProgramMs: number;
  /** Size of the cells monitored memory is split into (0: not split). */
  cellBytes: number;
  /** Cells marked MADV_DONTDUMP now. */
  markedRanges: number;
}

function share(field: string, value: unknown, fallback: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !(v > 0 && v <= 1)) throw new InvalidArgumentError(field, 'a share above 0 and at most 1', v);
  return Math.max(1, Math.round(v * 10000));
}

export class ReferencedSource extends AccessSource {
  readonly signal = 'access';
  readonly #native: NativeReferencedSource;

  constructor(options: ReferencedSourceOptions = {}) {
    if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'an object', options);
    const native = createNative(FEATURE, () =>
      new (linuxBinding(FEATURE).ReferencedSource)({
        minIntervalUs: options.minInterval === undefined ? 1_000_000 : durationToUs('minInterval', options.minInterval, 1000, HOUR_US),
        cpuBudgetBp: share('cpuBudget', options.cpuBudget, 0.01),
        programBudgetBp: share('programBudget', options.programBudget, 0.03),
      }),
    );
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
