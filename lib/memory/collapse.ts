// MADV_COLLAPSE per huge-page unit with an outcome for each, on this process or another
// (through a pidfd and process_madvise(2)).
import { callLinux } from '../native/call.js';
import { nativePid, type ProcessTarget } from '../procfs/target.js';
import { pageGeometry } from './geometry.js';
import type { NativeUnitCollapse } from './native.js';
import { resolveUnitRange, type MemoryRange } from './range.js';

/**
 * - `collapsed`: the unit is now one PMD-mapped huge page;
 * - `already-huge`: it was before (no system call made);
 * - `not-mapped`: part of the unit is outside any single mapping;
 * - `EAGAIN`: transient failure, worth retrying later; `ENOMEM`: no huge page could be
 *   allocated; `EBUSY`: the memory cgroup charge failed; `EINVAL`: the mapping cannot hold a
 *   huge page (MADV_NOHUGEPAGE, userfaultfd write-protect markers, special mappings), do not retry;
 * - `failed`: another errno (in `errno`).
 *
 * @useDeclaredType
 */
export type CollapseOutcome = NativeUnitCollapse['outcome'];

export interface CollapsedUnit {
  address: bigint;
  outcome: CollapseOutcome;
  errno: string | null;
  /** Base pages resident before; collapse filled the rest of the unit with zeroes. */
  residentPagesBefore: number;
  elapsedMs: number;
  /**
   * Consecutive units this entry stands for: 1, except for a stretch of more than 512 units
   * (1 GiB with 2 MiB units) outside every mapping, reported once as `not-mapped`, so that a
   * range over sparse address space costs what is mapped in it.
   */
  units: number;
}

export interface CollapseReport {
  units: CollapsedUnit[];
  /** Units per outcome (an entry counts as its `units`). */
  outcomes: Record<CollapseOutcome, number>;
  /** Bytes turned into huge pages by this call. */
  collapsedBytes: number;
  /** Bytes that were huge pages already. */
  alreadyHugeBytes: number;
  /** Zero-filled bytes the collapse added (absent base pages of collapsed units): its memory cost. */
  addedBytes: number;
  /** Time spent in the collapse system calls. */
  elapsedMs: number;
}

export interface CollapseOptions {
  /** The process whose memory `range` is (default: this one). Another process needs ptrace access and CAP_SYS_NICE. */
  pid?: ProcessTarget;
}

const OUTCOMES: readonly CollapseOutcome[] = ['collapsed', 'already-huge', 'not-mapped', 'EAGAIN', 'ENOMEM', 'EBUSY', 'EINVAL', 'failed'];

/**
 * Collapses every whole aligned huge-page unit of `range` into a transparent huge page, one
 * unit at a time, off the JS thread; only the target's mappings are visited. Contents are unchanged. Throws NoSuchProcessError or
 * PermissionDeniedError for a process that is gone or may not be advised.
 */
export async function collapse(range: MemoryRange, options: CollapseOptions = {}): Promise<CollapseReport> {
  const pid = nativePid(options.pid, 'options.pid');
  const { address, length } = resolveUnitRange(range);
  const units = await callLinux('collapse', { pid }, (native) => native.memory.collapse(address, length, pid));
  return summarize(units);
}

function summarize(units: CollapsedUnit[]): CollapseReport {
  const { basePageSize, hugePageSize } = pageGeometry();
  const pagesPerUnit = hugePageSize / basePageSize;
  const outcomes = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<CollapseOutcome, number>;
  let addedPages = 0;
  let elapsedMs = 0;
  for (const unit of units) {
    outcomes[unit.outcome] += unit.units;
    elapsedMs += unit.elapsedMs;
    if (unit.outcome === 'collapsed') addedPages += pagesPerUnit - unit.residentPagesBefore;
  }
  return {
    units,
    outcomes,
    collapsedBytes: outcomes.collapsed * hugePageSize,
    alreadyHugeBytes: outcomes['already-huge'] * hugePageSize,
    addedBytes: addedPages * basePageSize,
    elapsedMs,
  };
}
