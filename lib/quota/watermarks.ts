// Watermarks (Documentation/mm/damon/design.rst, "Watermarks"): a scheme is active only while free memory, in per-mille of
// total RAM, sits in its band, with hysteresis between `mid` and `high`.

/**
 * A scheme's watermarks as the engine holds them: `high`, `mid` and `low` in per mille of
 * total memory.
 *
 * @inline
 */
export interface WatermarkSettings {
  /** 'none': always active. 'free_mem_rate': MemFree × 1000 / MemTotal. */
  metric: 'none' | 'free_mem_rate';
  /** How long an inactive scheme waits before checking again, ms. */
  intervalMs: number;
  high: number;
  mid: number;
  low: number;
}

/**
 * damos_wmark_wait_us: the next activation state and how long to wait before the next check
 * (0 when active). Above `high` or below `low`: inactive. Inactive within [mid, high]: stays
 * inactive. Otherwise active: activation needs low ≤ metric < mid; once active it stays up to high.
 */
export function nextWatermarkState(w: WatermarkSettings, active: boolean, metric: number): { active: boolean; waitMs: number } {
  if (w.metric === 'none') return { active: true, waitMs: 0 };
  if (metric > w.high || metric < w.low) return { active: false, waitMs: w.intervalMs };
  if (!active && metric >= w.mid && metric <= w.high) return { active: false, waitMs: w.intervalMs };
  return { active: true, waitMs: 0 };
}

/** free_mem_rate from /proc/meminfo byte counts. */
export function freeMemRate(memFreeBytes: number, memTotalBytes: number): number {
  return memTotalBytes > 0 ? Math.floor((memFreeBytes * 1000) / memTotalBytes) : 0;
}
