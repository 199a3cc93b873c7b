// Percentiles as damo reports them: the value at which a share of the total (bytes, or
// snapshots) lies at or below.

export const PERCENTILES = [0, 1, 25, 50, 75, 90, 99, 100] as const;

/** Weighted percentiles of `values` (each with its weight), at each of `at` (0..100). */
export function weightedPercentiles(items: readonly { value: number; weight: number }[], at: readonly number[] = PERCENTILES): { percentile: number; value: number }[] {
  const sorted = items.filter((i) => i.weight > 0).sort((a, b) => a.value - b.value);
  const total = sorted.reduce((sum, i) => sum + i.weight, 0);
  return at.map((p) => {
    if (sorted.length === 0) return { percentile: p, value: 0 };
    const target = (p / 100) * total;
    let cumulative = 0;
    for (const item of sorted) {
      cumulative += item.weight;
      if (cumulative >= target) return { percentile: p, value: item.value };
    }
    return { percentile: p, value: sorted.at(-1)!.value };
  });
}
