// Recordings whose answers are known, for the report and advisor tests: one monitored range
// [A, A + total) with a hot region at its start, accessed in `hotNr` of `maxNr` samples of
// every aggregation, the rest never; units of [A, A + huge) PMD-mapped.
import type { Recording } from '../../lib/index.js';

const MiB = 2 ** 20;
/** Where the synthetic range starts. */
export const A = 2 ** 40;

export interface SyntheticOptions {
  total: number;
  hot: number;
  huge: number;
  snapshots?: number;
  residentPages?: number;
  extraTarget?: [number, number];
  /** Samples of each aggregation that saw the hot region written (default 20 of 20). */
  hotNr?: number;
  maxNr?: number;
  sampleIntervalUs?: number;
  /** CPU time per second of recording on the residency lines (one per snapshot); none: the line has no cpuNs (an older recording). */
  cpuShare?: number;
  /** Snapshots this many times as far apart as the nominal intervals make them (a monitor thread kept off its CPU; default 1). */
  stretch?: number;
}

export function syntheticRecording(o: SyntheticOptions): Recording {
  const sampleIntervalUs = o.sampleIntervalUs ?? 5000;
  const maxNr = o.maxNr ?? 20;
  const aggregationIntervalUs = sampleIntervalUs * maxNr;
  const targets: [number, number][] = [[A, A + o.total], ...(o.extraTarget ? [o.extraTarget] : [])];
  const units: [number, number, number, 0 | 1][] = [];
  if (o.huge > 0) units.push([A, o.huge / (2 * MiB), 512, 1]);
  units.push([A + o.huge, (o.total - o.huge) / (2 * MiB), o.residentPages ?? 512, 0]);
  const regions: [number, number, number, number][] = [
    [A, A + o.hot, o.hotNr ?? maxNr, 5],
    [A + o.hot, A + o.total, 0, 7],
  ];
  const n = o.snapshots ?? 30;
  const timeNs = (i: number) => (i + 1) * aggregationIntervalUs * 1000 * (o.stretch ?? 1);
  return {
    header: {
      format: 'thp-autotune-recording',
      version: 1,
      createdAt: '2026-12-04T00:00:00.000Z',
      pid: 1,
      command: null,
      source: 'pagemap',
      signal: 'write',
      attributes: { sampleIntervalUs, aggregationIntervalUs, minRegions: 10, maxRegions: 1000 },
      host: { kernel: 'test', pageBytes: 4096, hugePageBytes: 2 * MiB },
    },
    targets: [{ type: 'targets', timeNs: 0, ranges: targets }],
    residency: Array.from({ length: n }, (_, i) => ({
      type: 'residency' as const,
      timeNs: timeNs(i),
      units,
      ...(o.cpuShare === undefined ? {} : { cpuNs: o.cpuShare * timeNs(i) }),
    })),
    snapshots: Array.from({ length: n }, (_, i) => ({
      timeNs: timeNs(i),
      aggregation: i + 1,
      sampleIntervalUs,
      aggregationIntervalUs,
      maxNrAccesses: maxNr,
      regions,
      targets,
      residency: units,
    })),
    end: { type: 'end', timeNs: timeNs(n), snapshots: n, reason: 'stop' },
  };
}
