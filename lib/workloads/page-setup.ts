// Preparing buffers for page-size comparisons: populate them on 4 KiB pages whatever the
// system THP mode, then collapse them into 2 MiB pages. Shared by the demo and the benchmarks.
import { allocAlignedSegments, collapse, madvise, type CollapseReport } from '../memory/index.js';

/** A collapse report summed over several ranges (without the per-unit list). */
export type CollapseTotals = Omit<CollapseReport, 'units'>;

/** Maps `bytes` (as segments) and faults every page in on 4 KiB pages (MADV_NOHUGEPAGE, MADV_POPULATE_WRITE). */
export async function populateSmallPages(bytes: number): Promise<ArrayBuffer[]> {
  const segments = allocAlignedSegments(bytes);
  for (const segment of segments) {
    await madvise(segment, 'nohugepage');
    await madvise(segment, 'populate-write');
  }
  return segments;
}

/** Lifts MADV_NOHUGEPAGE (collapse refuses it) and collapses every segment; returns the summed report. */
export async function collapseSegments(segments: readonly ArrayBuffer[]): Promise<CollapseTotals> {
  let totals: CollapseTotals | undefined;
  for (const segment of segments) {
    await madvise(segment, 'hugepage');
    const { units: _units, ...part } = await collapse(segment);
    totals = totals ? addTotals(totals, part) : part;
  }
  if (!totals) throw new Error('collapseSegments needs at least one segment');
  return totals;
}

function addTotals(a: CollapseTotals, b: CollapseTotals): CollapseTotals {
  const outcomes = { ...a.outcomes };
  for (const [key, count] of Object.entries(b.outcomes)) outcomes[key as keyof typeof outcomes] += count;
  return {
    outcomes,
    collapsedBytes: a.collapsedBytes + b.collapsedBytes,
    alreadyHugeBytes: a.alreadyHugeBytes + b.alreadyHugeBytes,
    addedBytes: a.addedBytes + b.addedBytes,
    elapsedMs: a.elapsedMs + b.elapsedMs,
  };
}
