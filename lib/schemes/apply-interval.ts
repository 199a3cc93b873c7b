// When a scheme is due (Documentation/mm/damon/design.rst, "Operation Schemes"; Documentation/mm/damon/design.rst, "Regions Walking": next_apply_sis). The kernel checks at every
// sampling interval; this tuner sees the monitor's aggregation snapshots, so an apply
// interval is rounded up to whole aggregation intervals (0 = every aggregation, as the
// kernel's default of apply_interval = aggregation interval).

/** Aggregations between two applications. */
export function aggregationsPerApply(applyIntervalUs: number, aggregationIntervalUs: number): number {
  if (applyIntervalUs <= 0) return 1;
  return Math.max(1, Math.ceil(applyIntervalUs / aggregationIntervalUs));
}

/** Whether the scheme applies at the snapshot numbered `aggregation` (1-based). */
export function dueAt(aggregation: number, applyIntervalUs: number, aggregationIntervalUs: number): boolean {
  return aggregation % aggregationsPerApply(applyIntervalUs, aggregationIntervalUs) === 0;
}
