// The tables of a run, as headers and rows of text: the console prints them aligned, the
// Markdown pages as tables. One definition, so both say the same.
import { JUDGED, type ConfigName } from '../configurations.js';
import { cell, type WorkloadSummary } from '../summary.js';
import type { TargetResult } from '../targets.js';
import { bytes, pct, rate, seconds, withSpread } from './format.js';

export interface Table {
  headers: string[];
  rows: string[][];
}

const TUNED: readonly ConfigName[] = ['ethp', 'tuner-default', 'tuner-recommended'];

/** Every figure of one workload, a row per configuration. */
export function workloadTable(s: WorkloadSummary): Table {
  const hasLatency = s.cells.some((c) => c.latencyP99Ns !== null);
  const headers = [
    'config',
    `${s.workload.unit}/s`,
    'vs 4k',
    ...(hasLatency ? ['p50 / p99 latency'] : []),
    'RSS',
    'AnonHugePages',
    'hot set on 2M',
    'added by collapse',
    'hot set huge after',
    'thp_split_pmd',
    'tuner CPU',
    'loop p99',
    'speedup kept',
    'bloat removed',
  ];
  const rows = s.cells.map((c) => {
    const tuned = TUNED.includes(c.config);
    if (c.runs === 0) return [c.config, `failed: ${(c.errors[0] ?? 'no run').split('\n')[0]!.slice(0, 80)}`, ...headers.slice(2).map(() => '')];
    const reached = c.reachedHuge === c.runs ? '' : ` (${c.reachedHuge}/${c.runs})`;
    return [
      c.config,
      withSpread(c.throughput, rate),
      c.config === '4k' ? '1' : withSpread(c.vs4k, (v) => `${v.toFixed(3)}x`),
      ...(hasLatency ? [`${withSpread(c.latencyP50Ns, (v) => `${(v / 1e3).toFixed(0)}`)} / ${withSpread(c.latencyP99Ns, (v) => `${(v / 1e3).toFixed(0)}`)} us`] : []),
      withSpread(c.rssBytes, bytes),
      withSpread(c.anonHugeBytes, bytes),
      withSpread(c.hugeShare, (v) => pct(v, 0)),
      tuned ? withSpread(c.addedBytes, bytes) : '',
      c.reachedHuge > 0 ? `${withSpread(c.timeToHugeMs, seconds)}${reached}` : c.hugeShare ? 'never' : '',
      withSpread(c.splitPmd, (v) => v.toFixed(0)),
      tuned ? withSpread(c.extraCpuShare, (v) => pct(v, 2)) : '',
      `${withSpread(c.loopP99Ms, (v) => v.toFixed(2))} ms`,
      c.config === '4k' || c.config === 'always' ? '' : withSpread(c.speedupKept, (v) => pct(v, 0)),
      c.config === '4k' || c.config === 'always' ? '' : withSpread(c.bloatRemoved, (v) => pct(v, 0)),
    ];
  });
  return { headers, rows };
}

/** THP=always's own gain over 4 KiB pages in each round, per workload. */
export function thpGainTable(summaries: WorkloadSummary[], rounds: number): Table {
  return {
    headers: ['workload', ...Array.from({ length: rounds }, (_, i) => `round ${i + 1}`), 'median'],
    rows: summaries.map((s) => [s.workload.name, ...s.thpGainPerRound.map((g) => (g === null ? 'n/a' : `${g.toFixed(3)}x`)), s.thpGain ? `${s.thpGain.median.toFixed(3)}x` : 'n/a']),
  };
}

/** The headline: what the recommended tuner keeps and removes, per workload. */
export function headlineTable(summaries: WorkloadSummary[]): Table {
  return {
    headers: ['workload', 'THP=always vs 4 KiB', 'speedup kept', 'bloat removed', 'tuner CPU', 'loop p99 vs 4 KiB'],
    rows: summaries.map((s) => {
      const c = cell(s, JUDGED);
      return [
        s.workload.name,
        s.thpGain ? `${s.thpGain.median.toFixed(3)}x` : 'n/a',
        c?.speedupKept ? pct(c.speedupKept.median, 0) : 'n/a',
        c?.bloatRemoved ? pct(c.bloatRemoved.median, 0) : 'n/a',
        c?.extraCpuShare ? pct(c.extraCpuShare.median, 2) : 'n/a',
        c?.loopAbove4kMs ? `${c.loopAbove4kMs.median >= 0 ? '+' : ''}${c.loopAbove4kMs.median.toFixed(2)} ms` : 'n/a',
      ];
    }),
  };
}

/** The advisor's verdict "worth it" (its default threshold, advise()'s `threshold`). */
const WORTH_IT_GAIN = 0.1;

/** The advisor's predictions beside the measured speedups. */
export function predictionTable(summaries: WorkloadSummary[]): Table {
  const rows = summaries
    .filter((s) => s.prediction !== null)
    .map((s) => {
      const p = s.prediction!.prediction;
      if (!p) return [s.workload.name, `failed: ${(s.prediction!.error ?? '').split('\n')[0]!.slice(0, 80)}`, '', '', '', '', ''];
      const measuredTuner = cell(s, JUDGED)?.vs4k?.median;
      const worth = (speedup: number) => (speedup - 1 >= WORTH_IT_GAIN ? 'yes' : 'no');
      return [
        s.workload.name,
        `${p.speedupAlways.toFixed(3)}x`,
        s.thpGain ? `${s.thpGain.median.toFixed(3)}x` : 'n/a',
        `${p.speedupTuner.toFixed(3)}x`,
        measuredTuner === undefined ? 'n/a' : `${measuredTuner.toFixed(3)}x`,
        measuredTuner === undefined ? 'n/a' : `${worth(p.speedupTuner)} / ${worth(measuredTuner)}${worth(p.speedupTuner) === worth(measuredTuner) ? '' : ' (wrong)'}`,
        `${bytes(p.hotBytes)} hot, ${bytes(p.addedBytesTuner)} / ${bytes(p.addedBytesAlways)} added`,
      ];
    });
  return {
    headers: ['workload', 'predicted always', 'measured always', 'predicted tuner', `measured ${JUDGED}`, `worth it (gain >= ${WORTH_IT_GAIN * 100}%): predicted / measured tuner`, 'advisor saw'],
    rows,
  };
}

/** Each move of a phase-change workload under the tuned configurations. */
export function phaseTable(s: WorkloadSummary): Table {
  const rows: string[][] = [];
  for (const c of s.cells.filter((x) => TUNED.includes(x.config))) {
    c.phases.forEach((p, i) => {
      const ratio = p.quotaLimitedMs && p.quotaLimitedMs > 0 ? (p.timeToHugeMs === null ? 'not huge' : `${(p.timeToHugeMs / p.quotaLimitedMs).toFixed(2)}x`) : 'n/a';
      rows.push([
        c.config,
        String(i + 1),
        `${p.unitsToCollapse} of ${p.hotUnits}`,
        seconds(p.firstCollapseMs),
        seconds(p.timeToHugeMs),
        seconds(p.quotaLimitedMs),
        ratio,
        `${p.collapsedUnits} in ${seconds(p.actionMs)}`,
      ]);
    });
  }
  return { headers: ['config', 'move', 'units to collapse', 'first collapse', 'new hot set huge', 'quota-limited time', 'ratio', 'collapsed (action time)'], rows };
}

export function targetsTable(targets: TargetResult[]): Table {
  return { headers: ['target', 'measured', 'status', 'why'], rows: targets.map((t) => [t.target, t.value, t.status, t.why ?? '']) };
}
