// Quantiles of repeated measurements (the calibration probe's rounds; the benchmarks' runs).

/** The q-quantile (0..1), interpolating between the two nearest ranks; NaN for no values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low]! + (sorted[Math.min(low + 1, sorted.length - 1)]! - sorted[low]!) * (at - low);
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/**
 * Standard error of the median of `values`, from their interquartile range: the IQR of a
 * normal distribution is 1.349 sigma, and a median's error is 1.253 sigma / sqrt(n). The IQR
 * rather than the standard deviation, so that a few slices stretched by an interrupt on a busy
 * machine do not decide it.
 */
export function medianError(values: readonly number[]): number {
  if (values.length < 2) return Number.POSITIVE_INFINITY;
  const iqr = quantile(values, 0.75) - quantile(values, 0.25);
  return (1.253 * iqr) / 1.349 / Math.sqrt(values.length);
}
