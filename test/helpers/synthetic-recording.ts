// Recordings whose answers are known, for the report and advisor tests: one monitored range
// [A, A + total) with a hot region at its start, accessed in `hotNr` of `maxNr` samples of
// every aggregation, the rest never; units of [A, A + huge) PMD-mapped.
import type { RatesLine, Recording } from '../../lib/index.js';

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
  sampleIntervalMs?: number;
  /** CPU time per second of recording on the residency lines (one per snapshot); none: the line has no cpuMs (an older recording). */
  cpuShare?: number;
  /** Snapshots this many times as far apart as the nominal intervals make them (a monitor thread kept off its CPU; default 1). */
  stretch?: number;
  /** A referenced recording (format version 2) with these rate-probe lines; none: a pagemap recording (version 1). */
  rates?: RatesLine[];
}

export function syntheticRecording(o: SyntheticOptions): Recording {
  const sampleIntervalMs = o.sampleIntervalMs ?? 5;
  const maxNr = o.maxNr ?? 20;
  const aggregationIntervalMs = sampleIntervalMs * maxNr;
  // Addresses are bigints in a recording as readRecording() returns it.
  const at = (offset: number) => BigInt(A + offset);
  const extra = o.extraTarget?.map(BigInt) as [bigint, bigint] | undefined;
  const targets: [bigint, bigint][] = [[at(0), at(o.total)], ...(extra ? [extra] : [])];
  const units: [bigint, number, number, 0 | 1][] = [];
  if (o.huge > 0) units.push([at(0), o.huge / (2 * MiB), 512, 1]);
  units.push([at(o.huge), (o.total - o.huge) / (2 * MiB), o.residentPages ?? 512, 0]);
  const regions: [bigint, bigint, number, number][] = [
    [at(0), at(o.hot), o.hotNr ?? maxNr, 5],
    [at(o.hot), at(o.total), 0, 7],
  ];
  const n = o.snapshots ?? 30;
  const timeMs = (i: number) => (i + 1) * aggregationIntervalMs * (o.stretch ?? 1);
  return {
    header: {
      format: 'thp-autotune-recording',
      version: o.rates ? 2 : 1,
      createdAt: '2026-12-04T00:00:00.000Z',
      pid: 1,
      command: null,
      ...(o.rates ? { source: 'referenced' as const, signal: 'access' as const } : { source: 'pagemap' as const, signal: 'write' as const }),
      attributes: { sampleIntervalMs, aggregationIntervalMs, minRegions: 10, maxRegions: 1000 },
      host: { kernel: 'test', pageBytes: 4096, hugePageBytes: 2 * MiB },
    },
    targets: [{ type: 'targets', timeMs: 0, ranges: targets }],
    residency: Array.from({ length: n }, (_, i) => ({
      type: 'residency' as const,
      timeMs: timeMs(i),
      units,
      ...(o.cpuShare === undefined ? {} : { cpuMs: o.cpuShare * timeMs(i) }),
    })),
    rates: o.rates ?? [],
    snapshots: Array.from({ length: n }, (_, i) => ({
      timeMs: timeMs(i),
      aggregation: i + 1,
      sampleIntervalMs,
      aggregationIntervalMs,
      maxNrAccesses: maxNr,
      regions,
      targets,
      residency: units,
    })),
    end: { type: 'end', timeMs: timeMs(n), snapshots: n, reason: 'stop' },
  };
}
