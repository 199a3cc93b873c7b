// One run of the suite: the advisor's recordings, then the rounds. In each round every
// workload runs under every configuration back to back, in an order rotated from round to
// round so that drift within a round favours none; each run is a fresh child process with the
// THP mode its configuration needs, restored right after it.
import path from 'node:path';
import { configurations, type Configuration } from './configurations.js';
import { describeMachine, formatThp, loadAverage } from './machine.js';
import { REPO } from './output.js';
import type { ChildAnswer, ChildRequest, Timing } from './protocol.js';
import { loadRecommendedSettings } from './recommended-settings.js';
import { loadWorkloads, type LoadedWorkload } from './registry.js';
import { RESULTS_FORMAT, RESULTS_VERSION, type PredictionRecord, type RunRecord, type SuiteResults, type WorkloadInfo } from './results.js';
import { SCALES } from './scale.js';
import { runTasks, type Task } from './schedule.js';
import { killRunningChild, runChild } from './spawn-child.js';
import { readThpMode, ThpSwitch, type ThpMode } from './thp-sysfs.js';
import { bytes, rate, seconds } from './report/format.js';
import type { Scale } from './workload.js';

export interface RunOptions {
  scale: Scale;
  rounds: number;
  /** Workload names to run (all when null). */
  only: string[] | null;
  /** Configuration names to run (all when null); 4k and always are always kept, every ratio needs them. */
  configs: string[] | null;
  command: string;
  /** Child processes at once: 1 for a measurement; more only where the numbers do not matter (--quick). */
  jobs: number;
  /** Called with the results so far after every process, so that an interrupted run leaves what it measured. */
  checkpoint?: (results: SuiteResults) => void;
}

/** Allowance for one child beyond its planned phases: start-up and setup of GiB-sized memory on a slow VM. */
const CHILD_SLACK_MS = 180_000;

function childTimeoutMs(t: Timing): number {
  return CHILD_SLACK_MS + Math.max(t.warmupMs, t.longWarmupMs) + t.convergeCapMs + t.measureMs + t.phase.moves * t.phase.phaseMs + t.recordMs;
}

function info(l: LoadedWorkload, scale: Scale): WorkloadInfo {
  const w = l.workload;
  return {
    name: w.name,
    title: w.title,
    unit: w.unit,
    tunerCanHelp: w.tunerCanHelp,
    description: w.describe?.(scale) ?? null,
    thirdParty: l.thirdParty,
    module: path.relative(REPO, l.file),
    advisor: w.advisor === true,
    phaseChange: typeof w.moveHotSet === 'function',
    reads: w.reads === true,
  };
}

function progressLine(a: ChildAnswer, unit: string): string {
  if (!a.ok) return `FAILED: ${a.error.split('\n')[0]}`;
  if ('prediction' in a) return `predicted ${a.prediction.speedupTuner.toFixed(3)}x (tuner), ${a.prediction.speedupAlways.toFixed(3)}x (always)`;
  const m = a.measurement;
  const hot = m.hot ? `, hot set ${Math.round((100 * m.hot.huge) / Math.max(1, m.hot.units))}% huge` : '';
  const huge = m.timeToHugeMs !== null ? ` after ${seconds(m.timeToHugeMs)}` : '';
  return `${rate(m.throughput)} ${unit}/s, RSS ${bytes(m.rssBytes)}, AnonHugePages ${bytes(m.anonHugeBytes)}${hot}${huge} (${m.convergeEnd})`;
}

export async function runSuite(o: RunOptions): Promise<{ results: SuiteResults; failures: number }> {
  const startedAt = new Date();
  const t0 = performance.now();
  const timing = SCALES[o.scale].timing;
  const machine = describeMachine();
  const loadStart = loadAverage();
  const thp = new ThpSwitch();
  const notes: string[] = thp.recovered ? [thp.recovered] : [];
  if (!thp.writable && thp.original === 'always') throw new Error("THP is 'always' here and its sysfs setting cannot be changed: the 4 KiB baseline cannot be measured");
  const alwaysMethod = thp.writable ? 'sysfs' : 'madvise-stand-in';
  const recommended = loadRecommendedSettings(REPO);
  const configs = configurations(recommended.options).filter((c) => !o.configs || o.configs.includes(c.name) || c.name === '4k' || c.name === 'always');
  const loaded = (await loadWorkloads()).filter((l) => !o.only || o.only.includes(l.workload.name));
  if (loaded.length === 0) throw new Error(`no workload matches --only ${o.only?.join(',')}`);
  const workloads = loaded.map((l) => info(l, o.scale));
  const timeout = childTimeoutMs(timing);
  /** The mode of every configuration but always: the machine's own, unless that is always. */
  const otherMode: ThpMode = thp.original === 'always' ? 'madvise' : (thp.original ?? 'madvise');

  const runChildIn = async (mode: ThpMode, request: ChildRequest, env: Record<string, string>) => {
    if (thp.writable) thp.set(mode, killRunningChild);
    try {
      return await runChild(request, env, timeout);
    } finally {
      thp.restore();
    }
  };
  const planned = workloads.filter((w) => w.advisor).length + o.rounds * workloads.length * configs.length;
  process.stderr.write(
    `CPU ${machine.cpuModel} (${machine.cpus} CPUs), kernel ${machine.kernel}\nTHP: ${formatThp(machine.thp)}; THP=always through ${alwaysMethod}\n` +
      `${workloads.length} workloads x ${configs.length} configurations x ${o.rounds} round(s), ${o.scale} scale; recommended settings from ${recommended.source}\n`,
  );
  let done = 0;
  const log = (what: string, text: string) => {
    done++;
    const el = Math.round((performance.now() - t0) / 1000);
    process.stderr.write(`[${done}/${planned} ${Math.floor(el / 60)}m${String(el % 60).padStart(2, '0')}s] ${what}: ${text}\n`);
    o.checkpoint?.(snapshot());
  };

  const tasks: Task[] = [];
  const predictions: PredictionRecord[] = [];
  for (const l of loaded.filter((x) => x.workload.advisor)) {
    tasks.push({
      exclusive: otherMode !== thp.original,
      run: async () => {
        const a = await runChildIn(otherMode, { mode: 'record', workloadFile: l.file, workload: l.workload.name, scale: o.scale, timing }, {});
        log(`advisor ${l.workload.name}`, progressLine(a, l.workload.unit));
        predictions.push({ workload: l.workload.name, prediction: a.ok && 'prediction' in a ? a.prediction : null, error: a.ok ? null : a.error });
      },
    });
  }
  const runs: RunRecord[] = [];
  for (let round = 0; round < o.rounds; round++) {
    const order: Configuration[] = configs.map((_, i) => configs[(i + round) % configs.length]!);
    for (const l of loaded) {
      for (const c of order) {
        const mode: ThpMode = c.thp === 'always' && thp.writable ? 'always' : otherMode;
        const request: ChildRequest = {
          mode: 'measure',
          workloadFile: l.file,
          workload: l.workload.name,
          scale: o.scale,
          timing,
          config: c.name,
          tuner: c.tuner,
          hugepageBeforeTouch: c.thp === 'always' && !thp.writable,
        };
        const ran = c.thp === 'always' && !thp.writable ? `${otherMode} + MADV_HUGEPAGE stand-in` : mode;
        tasks.push({
          exclusive: mode !== thp.original,
          run: async () => {
            const started = performance.now();
            const a = await runChildIn(mode, request, c.env);
            runs.push({
              round,
              workload: l.workload.name,
              config: c.name,
              thpMode: ran,
              wallMs: performance.now() - started,
              measurement: a.ok && 'measurement' in a ? a.measurement : null,
              error: a.ok ? null : a.error,
            });
            log(`round ${round + 1}/${o.rounds} ${l.workload.name} ${c.name}`, `${progressLine(a, l.workload.unit)} [${seconds(performance.now() - started)}]`);
          },
        });
      }
    }
  }
  const snapshot = (): SuiteResults => ({
    format: RESULTS_FORMAT,
    version: RESULTS_VERSION,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    durationS: (performance.now() - t0) / 1000,
    command: o.command,
    scale: o.scale,
    rounds: o.rounds,
    jobs: o.jobs,
    timing,
    machine,
    loadAverage: { start: loadStart, end: loadAverage() },
    alwaysMethod,
    recommended,
    configurations: configs,
    workloads,
    runs,
    predictions,
    notes: [...notes],
  });
  await runTasks(tasks, o.jobs);
  if (readThpMode() !== thp.original) notes.push(`THP 'enabled' is '${readThpMode()}' after the run, '${thp.original}' before: something else changed it meanwhile`);

  const results = snapshot();
  const failures = runs.filter((r) => r.error !== null).length + predictions.filter((p) => p.error !== null).length;
  return { results, failures };
}
