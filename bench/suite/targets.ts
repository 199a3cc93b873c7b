// The suite's targets (issue "One benchmark command"), checked on the configuration users are
// told to run, and, where one is missed, the reasons the measurements themselves show.
import { JUDGED } from './configurations.js';
import { bytes, pct, seconds } from './report/format.js';
import { LONG_SLICE_MS } from './sliced-run.js';
import { cell, MIN_GAIN, type CellSummary, type Stat, type WorkloadSummary } from './summary.js';
import { median } from '../common/stats.js';

export interface TargetResult {
  target: string;
  workload: string | null;
  value: string;
  status: 'met' | 'missed' | 'not judged';
  why: string | null;
}

export const KEPT_TARGET = 0.9;
export const BLOAT_TARGET = 0.9;
export const PHASE_TARGET = 1.5;
export const CPU_TARGET = 0.02;
export const LOOP_TARGET_MS = 1;

const KEPT_AND_BLOAT = ['hot-cold-write', 'hot-cold-read', 'sparse'];
const KEPT_ONLY = ['random-reads'];

const range = (s: Stat, f: (v: number) => string) => (s.n > 1 ? ` (±${f(s.spread)} over ${s.n} rounds)` : '');

function keptWhy(s: WorkloadSummary, c: CellSummary): string {
  const why: string[] = [];
  const collapsed = c.collapsedUnits?.median ?? 0;
  const share = c.hugeShare?.median ?? 0;
  if (collapsed === 0 && s.workload.reads) {
    why.push(
      "nothing was collapsed although this workload reads its hot set: the tuner's access source saw no use of it (the default 'referenced' source sees reads; where the kernel lacks it the tuner falls back to 'pagemap', which sees writes only: docs/sources.md)",
    );
  } else if (collapsed === 0) {
    why.push(
      `nothing was collapsed in the ${c.aggregations?.median ?? 0} aggregations the tuner ran (the wait before measuring ended: ${[...new Set(c.convergeEnds)].join(', ')}, after ${seconds(c.convergeMs?.median)})`,
    );
  } else if (share < 0.95) {
    why.push(`only ${pct(share)} of the hot set was on 2 MiB pages when measured (${c.reachedHuge} of ${c.runs} rounds reached 95%; the wait ended: ${[...new Set(c.convergeEnds)].join(', ')})`);
  }
  if (c.extraCpuShare && c.extraCpuShare.median > CPU_TARGET) why.push(`its threads used ${pct(c.extraCpuShare.median)} of a core beyond the 4 KiB run's`);
  const gain = s.thpGain;
  if (gain && gain.spread > 0.5 * (gain.median - 1)) why.push(`THP=always's own gain varied by ±${pct(gain.spread)} around ${pct(gain.median - 1)} over the rounds: the ratio is noisy`);
  if (why.length === 0) {
    const always = cell(s, 'always');
    why.push(
      `the hot set was on 2 MiB pages; what else differs from THP=always is memory outside it on huge pages there (AnonHugePages ${bytes(always?.anonHugeBytes?.median)} vs ${bytes(c.anonHugeBytes?.median)}) and the tuner's running cost`,
    );
  }
  return why.join('; ');
}

function loopWhy(s: WorkloadSummary, c: CellSummary): string {
  const base = cell(s, '4k');
  const always = cell(s, 'always');
  const p99 = (x: CellSummary | undefined) => `${x?.loopP99Ms?.median.toFixed(2) ?? '?'} ms`;
  const why = [`p99 ${p99(c)} with the tuner against ${p99(base)} on 4 KiB pages and ${p99(always)} with THP=always`];
  const held = (x: CellSummary | undefined) => x?.longSlicesPerS?.median;
  const [tuner, onAlways, on4k] = [held(c), held(always), held(base)];
  if (tuner !== undefined && onAlways !== undefined && on4k !== undefined) {
    why.push(
      `slices held up ${LONG_SLICE_MS} ms or more (the workload's thread stalled inside one): ${tuner.toFixed(1)} a second with the tuner, ${onAlways.toFixed(1)} with THP=always, ${on4k.toFixed(1)} on 4 KiB pages`,
    );
    // Huge pages alone stall readers in some VMs (docs/measured-facts.md): then the tuner, which
    // puts the hot set on them, inherits the stalls along with THP=always.
    if (onAlways >= on4k + 0.5 && tuner <= onAlways + 0.5)
      why.push('the tuner adds about what huge pages themselves add here: its hot set is on them, and on this machine a thread reading huge-mapped memory is held up more often than on 4 KiB pages');
  }
  return why.join('; ');
}

function bloatWhy(s: WorkloadSummary, c: CellSummary): string {
  const base = cell(s, '4k')?.rssBytes?.median ?? NaN;
  const always = cell(s, 'always')?.rssBytes?.median ?? NaN;
  const rss = c.rssBytes?.median ?? NaN;
  const added = c.addedBytes?.median ?? 0;
  const facts = `RSS ${bytes(rss)} against ${bytes(base)} on 4 KiB pages and ${bytes(always)} with THP=always; collapse added ${bytes(added)} of zero-filled pages`;
  // What collapse did not add is the tuner's own memory (monitor regions, buffers, JavaScript objects).
  return added < (rss - base) / 2 ? `${facts}: the rest of the ${bytes(rss - base)} is the tuner's own memory, set against THP=always's bloat of ${bytes(always - base)}` : facts;
}

function ratioTarget(s: WorkloadSummary, c: CellSummary, kind: 'speedup kept' | 'bloat removed', goal: number): TargetResult {
  const value = kind === 'speedup kept' ? c.speedupKept : c.bloatRemoved;
  const target = `${s.workload.name}: ${kind} >= ${pct(goal, 0)}`;
  if (c.runs === 0) return { target, workload: s.workload.name, value: 'no run succeeded', status: 'not judged', why: c.errors[0] ?? null };
  if (!value) {
    const why =
      kind === 'speedup kept'
        ? `THP=always gained ${s.thpGain ? pct(s.thpGain.median - 1) : 'nothing measurable'} over 4 KiB pages here (median of the rounds; ${pct(MIN_GAIN, 0)} or more in ${s.thpGainPerRound.filter((g) => g !== null && g - 1 >= MIN_GAIN).length} of ${s.thpGainPerRound.length}): no share of it can be measured`
        : 'THP=always added less than 32 MiB over 4 KiB pages here: there was no bloat to remove';
    return { target, workload: s.workload.name, value: 'n/a', status: 'not judged', why };
  }
  const met = value.median >= goal;
  return {
    target,
    workload: s.workload.name,
    value: `${pct(value.median)}${range(value, (v) => pct(v))}`,
    status: met ? 'met' : 'missed',
    why: met ? null : kind === 'speedup kept' ? keptWhy(s, c) : bloatWhy(s, c),
  };
}

function phaseTarget(s: WorkloadSummary, c: CellSummary): TargetResult {
  const target = `${s.workload.name}: new hot set huge within ${PHASE_TARGET}x the quota-limited time`;
  const judged = c.phases.filter((p) => p.quotaLimitedMs !== null && p.quotaLimitedMs > 0);
  if (judged.length === 0)
    return {
      target,
      workload: s.workload.name,
      value: 'n/a',
      status: 'not judged',
      why: c.runs === 0 ? (c.errors[0] ?? null) : 'no move had a measurable collapse cost (nothing was collapsed) or the tuner has no time quota',
    };
  const ratios = judged.map((p) => (p.timeToHugeMs === null ? Infinity : p.timeToHugeMs / p.quotaLimitedMs!));
  const m = median(ratios);
  const within = ratios.filter((r) => r <= PHASE_TARGET).length;
  const met = m <= PHASE_TARGET;
  const detect = judged.map((p) => p.firstCollapseMs).filter((x): x is number => x !== null);
  const quota = median(judged.map((p) => p.quotaLimitedMs!));
  const huge = judged.map((p) => p.timeToHugeMs).filter((x): x is number => x !== null);
  return {
    target,
    workload: s.workload.name,
    value: `${Number.isFinite(m) ? `${m.toFixed(2)}x` : 'not huge within the phase'} (median of ${ratios.length} moves, ${within} within ${PHASE_TARGET}x)`,
    status: met ? 'met' : 'missed',
    why: met
      ? null
      : `the quota alone needs ${seconds(quota)} for the ${median(judged.map((p) => p.unitsToCollapse))} units that moved; the first collapse came ${detect.length ? seconds(median(detect)) : 'never'} after the move (finding the new hot set: aggregations, region splits and one probe window per unit) and the new hot set was huge after ${huge.length ? seconds(median(huge)) : 'more than the phase'}`,
  };
}

export function checkTargets(summaries: WorkloadSummary[]): TargetResult[] {
  const out: TargetResult[] = [];
  const judged = (s: WorkloadSummary) => cell(s, JUDGED);
  for (const s of summaries) {
    const c = judged(s);
    if (!c) continue;
    if (KEPT_AND_BLOAT.includes(s.workload.name)) out.push(ratioTarget(s, c, 'speedup kept', KEPT_TARGET), ratioTarget(s, c, 'bloat removed', BLOAT_TARGET));
    if (KEPT_ONLY.includes(s.workload.name)) out.push(ratioTarget(s, c, 'speedup kept', KEPT_TARGET));
    if (s.workload.phaseChange) out.push(phaseTarget(s, c));
  }
  for (const s of summaries) {
    const c = judged(s);
    if (!c?.extraCpuShare) continue;
    const cpu = c.extraCpuShare;
    out.push({
      target: `${s.workload.name}: tuner CPU <= ${pct(CPU_TARGET, 0)} of a core`,
      workload: s.workload.name,
      value: `${pct(cpu.median, 2)}${range(cpu, (v) => pct(v, 2))}`,
      status: cpu.median <= CPU_TARGET ? 'met' : 'missed',
      why:
        cpu.median <= CPU_TARGET
          ? null
          : "CPU of the process's threads other than the main one (the monitor thread; collapses, probes and smaps reads on the libuv pool) beyond the 4 KiB run's, during the measurement",
    });
  }
  for (const s of summaries) {
    const c = judged(s);
    if (!c?.loopAbove4kMs) continue;
    const loop = c.loopAbove4kMs;
    out.push({
      target: `${s.workload.name}: event-loop p99 <= ${LOOP_TARGET_MS} ms above 4 KiB`,
      workload: s.workload.name,
      value: `${loop.median >= 0 ? '+' : ''}${loop.median.toFixed(2)} ms${range(loop, (v) => `${v.toFixed(2)} ms`)}`,
      status: loop.median <= LOOP_TARGET_MS ? 'met' : 'missed',
      why: loop.median <= LOOP_TARGET_MS ? null : loopWhy(s, c),
    });
  }
  return out;
}
