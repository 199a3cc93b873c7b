// Small statistics for benchmark tables: medians, quantiles and half-ranges of repeated measurements.
// The package's own quantiles (the advisor's calibration uses them too): one definition.
export { median, quantile } from '../../lib/advisor/stats.js';

/** Half of (max - min): how far measurements strayed from the middle. */
export function spread(values: readonly number[]): number {
  return (Math.max(...values) - Math.min(...values)) / 2;
}

/** Least squares y ~ a*x1 + b*x2 (no intercept): [a, b]; NaN when x1 and x2 are collinear. */
export function fitTwo(x1: readonly number[], x2: readonly number[], y: readonly number[]): [number, number] {
  const dot = (u: readonly number[], v: readonly number[]) => u.reduce((s, ui, i) => s + ui * v[i]!, 0);
  const s11 = dot(x1, x1),
    s12 = dot(x1, x2),
    s22 = dot(x2, x2),
    s1y = dot(x1, y),
    s2y = dot(x2, y);
  const det = s11 * s22 - s12 * s12;
  return [(s22 * s1y - s12 * s2y) / det, (s11 * s2y - s12 * s1y) / det];
}
