// Small statistics for benchmark tables: medians, quantiles and half-ranges of repeated measurements.
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** The q-quantile (0..1), interpolating between the two nearest ranks. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low]! + (sorted[Math.min(low + 1, sorted.length - 1)]! - sorted[low]!) * (at - low);
}

/** Half of (max - min): how far measurements strayed from the middle. */
export function spread(values: readonly number[]): number {
  return (Math.max(...values) - Math.min(...values)) / 2;
}

/** Least squares y ~ a*x1 + b*x2 (no intercept): [a, b]; NaN when x1 and x2 are collinear. */
export function fitTwo(x1: readonly number[], x2: readonly number[], y: readonly number[]): [number, number] {
  const dot = (u: readonly number[], v: readonly number[]) => u.reduce((s, ui, i) => s + ui * v[i]!, 0);
  const s11 = dot(x1, x1), s12 = dot(x1, x2), s22 = dot(x2, x2), s1y = dot(x1, y), s2y = dot(x2, y);
  const det = s11 * s22 - s12 * s12;
  return [(s22 * s1y - s12 * s2y) / det, (s11 * s2y - s12 * s1y) / det];
}
