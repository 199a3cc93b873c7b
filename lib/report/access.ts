// `report access`: one snapshot as damo's `report access` shows it: a heat line across the
// monitored memory, access-rate percentiles by bytes with bars, and the hottest regions.
import { InvalidArgumentError } from '../errors.js';
import type { Recording, RecordedSnapshot } from '../record/reader.js';
import { formatBytes } from '../units/bytes.js';
import { heatGrid } from './heatmap.js';
import { weightedPercentiles } from './stats.js';
import { bar, hex, percent, seconds, table } from './text.js';
import { regionRate, unitViews, UNIT_BYTES } from './units.js';

export interface AccessReport {
  /** Times and intervals in ms (`timeMs`: since the recording started). */
  snapshot: { index: number; of: number; timeMs: number; aggregation: number; sampleIntervalMs: number; aggregationIntervalMs: number };
  signal: 'access' | 'write';
  monitoredBytes: number;
  accessedBytes: number;
  hugeBytes: number | null;
  /** One digit 0-9 per column across the monitored memory (relative access rate). */
  heatLine: string;
  percentiles: { percentile: number; accessRate: number }[];
  /** [start, end) addresses; `age` in aggregations and `ageMs` in ms. */
  hottest: { start: bigint; end: bigint; bytes: number; accessRate: number; age: number; ageMs: number; hugeBytes: number | null }[];
}

/** The snapshot at `index` (negative counts from the end; default the last). */
export function pickSnapshot(recording: Recording, index = -1): { snapshot: RecordedSnapshot; index: number } {
  const n = recording.snapshots.length;
  if (n === 0) throw new InvalidArgumentError('recording', 'a recording with at least one snapshot', `${n} snapshots`);
  const i = index < 0 ? n + index : index;
  const snapshot = recording.snapshots[i];
  if (!Number.isInteger(index) || snapshot === undefined) throw new InvalidArgumentError('--snapshot', `an index from ${-n} to ${n - 1}`, index);
  return { snapshot, index: i };
}

export function accessReport(recording: Recording, options: { snapshot?: number; top?: number; columns?: number } = {}): AccessReport {
  const { snapshot, index } = pickSnapshot(recording, options.snapshot);
  const units = unitViews(snapshot);
  const hugeAt = new Set(units.filter((u) => u.huge).map((u) => u.address));
  const regionHuge = (start: bigint, end: bigint): number | null => {
    if (snapshot.residency === null) return null;
    let bytes = 0;
    const [from, to] = [Number(start), Number(end)];
    for (let a = Math.ceil((from - UNIT_BYTES / 2) / UNIT_BYTES) * UNIT_BYTES; a + UNIT_BYTES / 2 < to; a += UNIT_BYTES) if (hugeAt.has(a)) bytes += UNIT_BYTES;
    return bytes;
  };
  const regions = snapshot.regions.map(([start, end, nr, age]) => ({ start, end, bytes: Number(end - start), accessRate: regionRate(snapshot, nr), age, ageMs: age * snapshot.aggregationIntervalMs }));
  const grid = heatGrid({ ...recording, snapshots: [snapshot] }, { columns: options.columns ?? 80, rows: 1 });
  return {
    snapshot: {
      index,
      of: recording.snapshots.length,
      timeMs: snapshot.timeMs,
      aggregation: snapshot.aggregation,
      sampleIntervalMs: snapshot.sampleIntervalMs,
      aggregationIntervalMs: snapshot.aggregationIntervalMs,
    },
    signal: recording.header.signal,
    monitoredBytes: regions.reduce((sum, r) => sum + r.bytes, 0),
    accessedBytes: regions.reduce((sum, r) => sum + (r.accessRate > 0 ? r.bytes : 0), 0),
    hugeBytes: snapshot.residency === null ? null : hugeAt.size * UNIT_BYTES,
    heatLine: (grid.cells[0] ?? []).map((c) => String(Math.min(9, Math.floor(c.rate * 10)))).join(''),
    percentiles: weightedPercentiles(regions.map((r) => ({ value: r.accessRate, weight: r.bytes }))).map((p) => ({ percentile: p.percentile, accessRate: p.value })),
    hottest: regions
      .sort((a, b) => b.accessRate - a.accessRate || b.age - a.age || Number(a.start - b.start))
      .slice(0, options.top ?? 10)
      .map((r) => ({ ...r, hugeBytes: regionHuge(r.start, r.end) })),
  };
}

export function formatAccessReport(r: AccessReport): string {
  const s = r.snapshot;
  const head =
    `snapshot ${s.index} of ${s.of} at ${seconds(s.timeMs)} (aggregation ${s.aggregation}; sample ${s.sampleIntervalMs} ms, aggregation ${s.aggregationIntervalMs} ms; ` +
    `${r.signal === 'write' ? 'writes only' : 'reads and writes'})`;
  const percentiles = table(
    ['percentile', 'access rate', ''],
    r.percentiles.map((p) => [`${p.percentile}`, percent(p.accessRate), bar(p.accessRate, 1)]),
  );
  const hottest = table(
    ['start', 'size', 'access rate', 'age', 'huge'],
    r.hottest.map((h) => [hex(h.start), formatBytes(h.bytes), percent(h.accessRate), seconds(h.ageMs), h.hugeBytes === null ? '-' : formatBytes(h.hugeBytes)]),
  );
  return [
    head,
    `heat: ${r.heatLine}  (0-9: access rate 0-100 %, ${formatBytes(Math.floor(r.monitoredBytes / Math.max(1, r.heatLine.length)))} per column)`,
    '',
    'access rate by bytes',
    percentiles,
    '',
    `hottest ${r.hottest.length} regions`,
    hottest,
    '',
    `monitored ${formatBytes(r.monitoredBytes)}, accessed ${formatBytes(r.accessedBytes)}, on huge pages ${r.hugeBytes === null ? 'unknown' : formatBytes(r.hugeBytes)}`,
  ].join('\n');
}
