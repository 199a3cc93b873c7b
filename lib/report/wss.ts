// `report wss`: working-set size over the recording (damo's `report wss`): per snapshot the
// bytes of regions accessed at least `minRate` of the samples, as percentiles across snapshots.
import type { Recording } from '../record/reader.js';
import { formatBytes } from '../units/bytes.js';
import { PERCENTILES, weightedPercentiles } from './stats.js';
import { bar, table } from './text.js';
import { regionRate } from './units.js';

export interface WssReport {
  snapshots: number;
  /** The access rate a region needs to count (default: any access, above 0). */
  minRate: number;
  percentiles: { percentile: number; bytes: number }[];
  /** Working-set size per snapshot, in time order. */
  series: { timeMs: number; bytes: number }[];
}

export function wssReport(recording: Recording, options: { minRate?: number } = {}): WssReport {
  const minRate = options.minRate ?? 0;
  const series = recording.snapshots.map((s) => ({
    timeMs: s.timeMs,
    bytes: s.regions.reduce((sum, [start, end, nr]) => sum + (nr > 0 && regionRate(s, nr) >= minRate ? Number(end - start) : 0), 0),
  }));
  const percentiles = weightedPercentiles(
    series.map((p) => ({ value: p.bytes, weight: 1 })),
    PERCENTILES,
  ).map((p) => ({ percentile: p.percentile, bytes: p.value }));
  return { snapshots: series.length, minRate, percentiles, series };
}

export function formatWssReport(r: WssReport): string {
  const max = Math.max(0, ...r.percentiles.map((p) => p.bytes));
  return [
    `working-set size over ${r.snapshots} snapshots (regions accessed ${r.minRate > 0 ? `at least ${(r.minRate * 100).toFixed(1)} % of the samples` : 'at least once'})`,
    table(
      ['percentile', 'wss', ''],
      r.percentiles.map((p) => [`${p.percentile}`, formatBytes(p.bytes), bar(p.bytes, max)]),
    ),
  ].join('\n');
}
