// From a results file to the figures the pages show: per workload and configuration, medians
// and spreads over rounds, and the two ratios of the DAMON evaluation against THP=always, taken
// per round (each round's configurations ran back to back, so they shared the machine's mood)
// and then their median:
//   speedup kept  = (config throughput / 4k throughput − 1) / (always throughput / 4k throughput − 1)
//   bloat removed = 1 − (config RSS − 4k RSS) / (always RSS − 4k RSS)
import { median, spread } from '../common/stats.js';
import type { ConfigName } from './configurations.js';
import type { Measurement, PhaseFigures } from './protocol.js';
import type { PredictionRecord, RunRecord, SuiteResults, WorkloadInfo } from './results.js';

/**
 * Below this gain of THP=always over 4 KiB pages a share of it is noise divided by noise: on
 * this project's VMs one configuration's throughput moves by several percent from round to round.
 */
export const MIN_GAIN = 0.05;
/** Below this much memory added by THP=always, there is no bloat to remove. */
export const MIN_BLOAT_BYTES = 32 * 2 ** 20;

export interface Stat {
  median: number;
  /** Half of max − min over the rounds. */
  spread: number;
  n: number;
}

export function stat(values: readonly (number | null | undefined)[]): Stat | null {
  const v = values.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  return v.length === 0 ? null : { median: median(v), spread: spread(v), n: v.length };
}

export function speedupKept(config: number, base4k: number, always: number): number | null {
  const gain = always / base4k - 1;
  return gain < MIN_GAIN ? null : (config / base4k - 1) / gain;
}

/**
 * The share's statistics only where most rounds could measure it: a median of the few rounds in
 * which THP=always happened to gain 5% is one round's noise presented as the result.
 */
function measurableInMost(perRound: readonly (number | null)[]): Stat | null {
  const measured = perRound.filter((v) => v !== null).length;
  return 2 * measured > perRound.length ? stat(perRound) : null;
}

export function bloatRemoved(config: number, base4k: number, always: number): number | null {
  const bloat = always - base4k;
  return bloat < MIN_BLOAT_BYTES ? null : 1 - (config - base4k) / bloat;
}

export interface RoundRatios {
  round: number;
  speedupKept: number | null;
  bloatRemoved: number | null;
  /** CPU of the child's other threads beyond the 4 KiB child's, as a share of one core. */
  extraCpuShare: number | null;
  /** Event-loop p99 delay above the 4 KiB child's, ms. */
  loopAbove4kMs: number | null;
}

export interface CellSummary {
  config: ConfigName;
  runs: number;
  errors: string[];
  throughput: Stat | null;
  /** Median over rounds of throughput / the round's 4 KiB throughput. */
  vs4k: Stat | null;
  latencyP50Ns: Stat | null;
  latencyP99Ns: Stat | null;
  rssBytes: Stat | null;
  anonHugeBytes: Stat | null;
  hugeShare: Stat | null;
  addedBytes: Stat | null;
  /** Rounds in which the hot set became huge, and the time it took in those. */
  timeToHugeMs: Stat | null;
  reachedHuge: number;
  splitPmd: Stat | null;
  loopP99Ms: Stat | null;
  longSlicesPerS: Stat | null;
  speedupKept: Stat | null;
  bloatRemoved: Stat | null;
  extraCpuShare: Stat | null;
  loopAbove4kMs: Stat | null;
  perRound: RoundRatios[];
  convergeEnds: string[];
  convergeMs: Stat | null;
  aggregations: Stat | null;
  collapsedUnits: Stat | null;
  tunerErrors: string[];
  phases: PhaseFigures[];
}

export interface WorkloadSummary {
  workload: WorkloadInfo;
  /** THP=always's own gain over 4 KiB pages (throughput ratio), per round. */
  thpGainPerRound: (number | null)[];
  thpGain: Stat | null;
  cells: CellSummary[];
  prediction: PredictionRecord | null;
}

const ok = (r: RunRecord | undefined): Measurement | null => r?.measurement ?? null;

function cellSummary(config: ConfigName, runs: RunRecord[], byRound: (round: number, c: ConfigName) => Measurement | null, rounds: number): CellSummary {
  const ms = runs.map(ok).filter((m): m is Measurement => m !== null);
  const perRound: RoundRatios[] = [];
  for (let round = 0; round < rounds; round++) {
    const c = byRound(round, config);
    const base = byRound(round, '4k');
    const always = byRound(round, 'always');
    if (!c || !base) continue;
    perRound.push({
      round,
      speedupKept: always ? speedupKept(c.throughput, base.throughput, always.throughput) : null,
      bloatRemoved: always ? bloatRemoved(c.rssBytes, base.rssBytes, always.rssBytes) : null,
      extraCpuShare: c.otherThreadsCpuMs / c.measuredMs - base.otherThreadsCpuMs / base.measuredMs,
      loopAbove4kMs: c.loopP99Ms === null || base.loopP99Ms === null ? null : c.loopP99Ms - base.loopP99Ms,
    });
  }
  const vs4k = perRound.map((p) => {
    const c = byRound(p.round, config)!;
    return c.throughput / byRound(p.round, '4k')!.throughput;
  });
  const reached = ms.filter((m) => m.timeToHugeMs !== null);
  return {
    config,
    runs: ms.length,
    errors: runs.filter((r) => r.error !== null).map((r) => `round ${r.round + 1}: ${r.error}`),
    throughput: stat(ms.map((m) => m.throughput)),
    vs4k: stat(vs4k),
    latencyP50Ns: stat(ms.map((m) => m.latency?.p50Ns)),
    latencyP99Ns: stat(ms.map((m) => m.latency?.p99Ns)),
    rssBytes: stat(ms.map((m) => m.rssBytes)),
    anonHugeBytes: stat(ms.map((m) => m.anonHugeBytes)),
    hugeShare: stat(ms.map((m) => (m.hot && m.hot.units > 0 ? m.hot.huge / m.hot.units : null))),
    addedBytes: stat(ms.map((m) => m.tuner?.addedBytes)),
    timeToHugeMs: stat(reached.map((m) => m.timeToHugeMs)),
    reachedHuge: reached.length,
    splitPmd: stat(ms.map((m) => m.splitPmd)),
    loopP99Ms: stat(ms.map((m) => m.loopP99Ms)),
    // Absent from results saved before the figure existed.
    longSlicesPerS: stat(ms.map((m) => m.longSlicesPerS)),
    speedupKept: measurableInMost(perRound.map((p) => p.speedupKept)),
    bloatRemoved: stat(perRound.map((p) => p.bloatRemoved)),
    extraCpuShare: config === '4k' ? null : stat(perRound.map((p) => p.extraCpuShare)),
    loopAbove4kMs: config === '4k' ? null : stat(perRound.map((p) => p.loopAbove4kMs)),
    perRound,
    convergeEnds: ms.map((m) => m.convergeEnd),
    convergeMs: stat(ms.map((m) => m.convergeMs)),
    aggregations: stat(ms.map((m) => m.tuner?.aggregations)),
    collapsedUnits: stat(ms.map((m) => m.tuner?.collapsedUnits)),
    tunerErrors: [...new Set(ms.flatMap((m) => m.tuner?.errors ?? []))],
    phases: ms.flatMap((m) => m.phases ?? []),
  };
}

export function summarize(results: SuiteResults): WorkloadSummary[] {
  return results.workloads.map((workload) => {
    const runs = results.runs.filter((r) => r.workload === workload.name);
    const byRound = (round: number, c: ConfigName) => ok(runs.find((r) => r.round === round && r.config === c));
    const gains = Array.from({ length: results.rounds }, (_, round) => {
      const base = byRound(round, '4k');
      const always = byRound(round, 'always');
      return base && always ? always.throughput / base.throughput : null;
    });
    return {
      workload,
      thpGainPerRound: gains,
      thpGain: stat(gains),
      cells: results.configurations.map((c) =>
        cellSummary(
          c.name,
          runs.filter((r) => r.config === c.name),
          byRound,
          results.rounds,
        ),
      ),
      prediction: results.predictions.find((p) => p.workload === workload.name) ?? null,
    };
  });
}

export function cell(s: WorkloadSummary, config: ConfigName): CellSummary | undefined {
  return s.cells.find((c) => c.config === config);
}
