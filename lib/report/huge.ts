// `report huge`: huge-page coverage over the recording, from the kernel's view (residency
// reads): how much of the hot memory is on 2 MiB pages, and how much cold memory is (bloat's
// cousin: huge pages spent where nothing is accessed).
import type { Recording } from '../record/reader.js';
import { formatBytes } from '../units/bytes.js';
import { bar, percent, seconds, table } from './text.js';
import { unitViews, UNIT_BYTES } from './units.js';

export interface HugeRow {
  /** Milliseconds since the recording started. */
  timeMs: number;
  targetBytes: number;
  residentBytes: number;
  hugeBytes: number;
  /** Units at or above the hot threshold, and those of them on huge pages. */
  hotBytes: number;
  hotHugeBytes: number;
  coldHugeBytes: number;
}

export interface HugeReport {
  hotRate: number;
  rows: HugeRow[];
}

export function hugeReport(recording: Recording, options: { hotRate?: number; rows?: number } = {}): HugeReport {
  const hotRate = options.hotRate ?? 0.05;
  const withResidency = recording.snapshots.filter((s) => s.residency !== null);
  const want = Math.min(options.rows ?? 20, withResidency.length);
  const rows: HugeRow[] = [];
  for (let i = 0; i < want; i++) {
    const s = withResidency[Math.round(((i + 1) * withResidency.length) / want) - 1]!;
    const row: HugeRow = { timeMs: s.timeMs, targetBytes: 0, residentBytes: 0, hugeBytes: 0, hotBytes: 0, hotHugeBytes: 0, coldHugeBytes: 0 };
    for (const u of unitViews(s)) {
      const hot = u.rate >= hotRate && u.rate > 0;
      row.targetBytes += UNIT_BYTES;
      row.residentBytes += (u.residentPages ?? 0) * 4096;
      if (u.huge) row.hugeBytes += UNIT_BYTES;
      if (hot) row.hotBytes += UNIT_BYTES;
      if (hot && u.huge) row.hotHugeBytes += UNIT_BYTES;
      if (!hot && u.huge) row.coldHugeBytes += UNIT_BYTES;
    }
    rows.push(row);
  }
  return { hotRate, rows };
}

export function formatHugeReport(r: HugeReport): string {
  if (r.rows.length === 0) return 'no residency read in this recording: huge-page coverage unknown';
  const body = table(
    ['time', 'resident', 'on huge pages', 'hot', 'hot on huge', '', 'cold on huge'],
    r.rows.map((row) => {
      const share = row.hotBytes > 0 ? row.hotHugeBytes / row.hotBytes : 0;
      return [seconds(row.timeMs), formatBytes(row.residentBytes), formatBytes(row.hugeBytes), formatBytes(row.hotBytes), percent(share), bar(share, 1), formatBytes(row.coldHugeBytes)];
    }),
  );
  return [`huge-page coverage of the monitored memory (hot: 2 MiB units accessed in at least ${(r.hotRate * 100).toFixed(1)} % of the samples)`, body].join('\n');
}
