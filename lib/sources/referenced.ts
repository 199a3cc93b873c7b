// The `referenced` access source: which regions of this process's memory were used, READS
// included, without privileges (native/sources/referenced/). docs/sources.md describes the
// design, its cost and everything it changes in the process while it runs.
import { InvalidArgumentError } from '../errors.js';
import { durationToUs, type Duration } from '../units/duration.js';

/**
 * This process's own memory, reads and writes, without privileges (any Linux with
 * /proc/self/clear_refs). Every `minInterval` at most, and no more often than `cpuBudget`
 * allows, it reads each VMA's `Referenced:` bytes from /proc/self/smaps and clears the
 * Accessed bits of the process's anonymous pages through /proc/self/clear_refs; a sample
 * counts as accessed in proportion to the referenced share of its VMA in that window. To see
 * regions rather than whole mappings it splits the monitored anonymous mappings into 2 MiB
 * (or larger) VMAs by marking alternate cells MADV_DONTDUMP (they leave core dumps while
 * monitored), and marks them MADV_DODUMP again when the monitor stops.
 */
export interface ReferencedSourceOptions {
  kind: 'referenced';
  /** Shortest window between two reads of the Accessed bits. Default '1s'. */
  minInterval?: Duration;
  /**
   * CPU allowance of the reads, as a share of one core (0 < cpuBudget <= 1): after a read
   * that cost c, the next one waits at least c / cpuBudget. Default 0.01.
   */
  cpuBudget?: number;
  /**
   * What the clears may cost the program, as a share of its time (0 < programBudget <= 1).
   * After a clear, the next access to each 4 KiB page sets its Accessed bit again, which in a
   * VM can trap to the hypervisor (measured on this project's VMs: ~17 us per page). The
   * source measures that cost on pages of its own at every clear, estimates a window's cost as
   * its referenced 4 KiB pages times it, and waits at least cost / programBudget before the
   * next clear. Default 0.03.
   */
  programBudget?: number;
}

export interface NativeReferencedOptions {
  kind: 'referenced';
  minIntervalUs: number;
  cpuBudgetBp: number;
  programBudgetBp: number;
}

/** What the source did so far (AccessMonitor.referencedState()). */
export interface ReferencedSourceState {
  /** Windows completed (smaps read + clear_refs). */
  cycles: number;
  /** CPU time of the last cycle and of all, in ns (the monitor thread's). */
  lastCycleCpuNs: number;
  totalCycleCpuNs: number;
  /** The wait before the next cycle, as last computed from its cost. */
  intervalUs: number;
  /** Measured cost of setting one 4 KiB page's Accessed bit again after a clear, in ns. */
  accessBitNs: number;
  /** The last window's estimated cost to the program: its referenced 4 KiB pages times accessBitNs. */
  lastWindowProgramNs: number;
  /** Size of the cells monitored memory is split into (0: not split). */
  cellBytes: number;
  /** Cells marked MADV_DONTDUMP now. */
  markedRanges: number;
}

const HOUR_US = 3_600_000_000;

export function toNativeReferenced(source: ReferencedSourceOptions): NativeReferencedOptions {
  const minIntervalUs = source.minInterval === undefined ? 1_000_000 : durationToUs('source.minInterval', source.minInterval, 1000, HOUR_US);
  const share = (field: 'cpuBudget' | 'programBudget', fallback: number): number => {
    const v = source[field] ?? fallback;
    if (typeof v !== 'number' || !(v > 0 && v <= 1)) throw new InvalidArgumentError(`source.${field}`, 'a share above 0 and at most 1', v);
    return Math.max(1, Math.round(v * 10000));
  };
  return { kind: 'referenced', minIntervalUs, cpuBudgetBp: share('cpuBudget', 0.01), programBudgetBp: share('programBudget', 0.03) };
}
