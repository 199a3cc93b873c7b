// The `monitor` command's screen: the latest snapshot as `report access` shows it (a heat
// line across the monitored memory, the hottest regions, huge bytes) and, when tuning, the
// tuner's goal score, effective quota and what it collapsed.
import type { RecordingHeader } from '../record/format.js';
import type { Recording } from '../record/reader.js';
import type { MonitorSnapshot } from '../monitor/snapshot.js';
import type { QuotaReport } from '../schemes/scheme-runner.js';
import type { TunerStats } from '../tuner/hugepage-tuner.js';
import { formatBytes } from '../units/bytes.js';
import { accessReport, formatAccessReport } from './access.js';
import { UNIT_BYTES } from './units.js';

export interface TuningView {
  stats: TunerStats;
  /** The latest quota window per scheme (goal score, esz). */
  quotas: (QuotaReport | undefined)[];
}

/**
 * A monitor snapshot as a one-snapshot recording. The monitored ranges are where the regions
 * lie (regions tile the monitored ranges: consecutive ones are merged).
 */
export function snapshotRecording(snapshot: MonitorSnapshot, header: Pick<RecordingHeader, 'pid' | 'command' | 'source'>): Recording {
  const ranges: [bigint, bigint][] = [];
  for (const r of snapshot.regions) {
    const last = ranges.at(-1);
    if (last && last[1] === r.start) last[1] = r.end;
    else ranges.push([r.start, r.end]);
  }
  return {
    header: {
      format: 'thp-autotune-recording',
      version: 1,
      createdAt: new Date().toISOString(),
      ...header,
      signal: snapshot.signal,
      attributes: { sampleIntervalMs: snapshot.sampleIntervalMs, aggregationIntervalMs: snapshot.aggregationIntervalMs, minRegions: 0, maxRegions: 0 },
      host: { kernel: '', pageBytes: 4096, hugePageBytes: UNIT_BYTES },
    },
    targets: [{ type: 'targets', timeMs: 0, ranges }],
    residency: [],
    rates: [],
    snapshots: [
      {
        timeMs: snapshot.timeMs,
        aggregation: snapshot.aggregation,
        sampleIntervalMs: snapshot.sampleIntervalMs,
        aggregationIntervalMs: snapshot.aggregationIntervalMs,
        maxNrAccesses: snapshot.maxNrAccesses,
        regions: snapshot.regions.map((r) => [r.start, r.end, r.nrAccesses, r.age]),
        targets: ranges,
        residency: null,
      },
    ],
    end: null,
  };
}

export function tuningLines(view: TuningView): string[] {
  return view.stats.schemes.map((scheme, i) => {
    const q = view.quotas[i];
    const score = q?.score === null || q?.score === undefined ? 'no goal' : `goal score ${(q.score / 100).toFixed(1)} %`;
    return (
      `tuner scheme ${i} (${scheme.action}): ${score}, effective quota ${formatBytes(scheme.effectiveQuotaBytes)}/window, ` +
      `collapsed ${formatBytes(scheme.stats.units.collapsed * UNIT_BYTES)} (${scheme.stats.units.collapsed} units), added ${formatBytes(scheme.stats.addedBytes)}`
    );
  });
}

export function liveScreen(recording: Recording, options: { top?: number; columns?: number; tuning?: TuningView } = {}): string {
  const h = recording.header;
  const title = `thp-autotune monitor: pid ${h.pid}${h.command ? ` (${h.command.join(' ')})` : ''}`;
  const report = formatAccessReport(accessReport(recording, { top: options.top ?? 8, columns: options.columns ?? 80 }));
  return [title, report, ...(options.tuning ? ['', ...tuningLines(options.tuning)] : [])].join('\n');
}
