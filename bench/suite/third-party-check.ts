// Checks that each third-party workload (workloads/third-party/) is TLB-bound where it claims
// the tuner can help, and is not changed by huge pages where it claims it cannot, before the
// suite exists to run them under every configuration. Each workload runs in a fresh process per
// configuration, configurations interleaved round by round (order rotated), and the medians
// with half-ranges are printed. Throughput is given per wall-clock second and per second of CPU
// time of the main thread: on a shared machine the second is much less disturbed by other
// processes taking the CPU (what it does not remove is their use of the caches), so the
// comparisons ("vs none") use it:
//   none           nothing advised (with THP=madvise, everything on 4 KiB pages)
//   glibc-hugetlb  GLIBC_TUNABLES=glibc.malloc.hugetlb=1 in the child's environment: glibc
//                  advises MADV_HUGEPAGE on the memory malloc maps, so it faults in huge pages
//   collapsed      after setup, MADV_COLLAPSE on every whole aligned 2 MiB unit of the process's
//                  anonymous mappings that the tuner could act on (lib/tuner/eligibility.ts)
//
//   npx vite-node bench/suite/third-party-check.ts [-- --scale full|quick] [--rounds 3] [--warmup 3] [--measure 6] [--only kdbush,rbush]
// Results also go to bench/results/third-party-check-<date>-<scale>.{txt,json}.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { collapse, residency } from '../../lib/memory/index.js';
import { readSmapsRollup } from '../../lib/procfs/index.js';
import { eligibility } from '../../lib/tuner/eligibility.js';
import { MemoryBackend } from '../../lib/tuner/memory-backend.js';
import { saveResults } from '../common/save.js';
import { mainThreadCpuNs } from '../common/thread-usage.js';
import { loadModule, workloadModules } from './registry.js';
import { median, spread } from '../common/stats.js';
import { formatTable } from '../common/table.js';
import type { HotRange, Scale, Workload } from './workload.js';

const CONFIGS = ['none', 'glibc-hugetlb', 'collapsed'] as const;
type Config = (typeof CONFIGS)[number];
const MiB = 2 ** 20;
/** A run is split into slices with the event loop served between them, as a service would. */
const SLICE_MS = 50;

interface Result {
  config: Config;
  setupMs: number;
  opsPerSecond: number;
  /** Operations per second of CPU time of the main thread (where the workload runs). */
  opsPerCpuSecond: number;
  rssBytes: number;
  anonymousBytes: number;
  anonHugeBytes: number;
  /** Share of the hot ranges' units on 2 MiB pages after the run; null without hotRanges(). */
  hotHuge: number | null;
  /** Anonymous bytes in mappings that can hold a whole aligned unit (the tuner's reach), and the rest. */
  eligibleBytes: number;
  ineligibleBytes: number;
  collapse: { collapsedBytes: number; failedUnits: number; elapsedMs: number } | null;
  /** The system's THP mode before setup and after the measurement. */
  thpModes: [string, string];
}

/** The system's THP mode: the bracketed word of /sys/kernel/mm/transparent_hugepage/enabled. */
function thpMode(): string {
  const text = readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8');
  return /\[(\w+)\]/.exec(text)?.[1] ?? text.trim();
}

/** The workload `name` of a module in workloads/third-party/, loaded as the suite loads it. */
async function loadWorkload(file: string, name: string): Promise<Workload> {
  const workload = (await loadModule(file)).find((w) => w.name === name);
  if (workload === undefined) throw new Error(`${file} has no workload named ${name}`);
  return workload;
}

async function runFor(workload: Workload, ms: number): Promise<{ ops: number; seconds: number; cpuSeconds: number }> {
  const cpu = mainThreadCpuNs();
  const start = performance.now();
  const end = start + ms;
  let ops = 0;
  while (performance.now() < end) {
    ops += (await workload.run(Math.min(SLICE_MS, end - performance.now()))).ops;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { ops, seconds: (performance.now() - start) / 1000, cpuSeconds: (mainThreadCpuNs() - cpu) / 1e9 };
}

/** MADV_COLLAPSE over everything the tuner could reach, as if it had found all of it hot. */
async function collapseEverything(spans: readonly { start: number; end: number }[]): Promise<NonNullable<Result['collapse']>> {
  const out = { collapsedBytes: 0, failedUnits: 0, elapsedMs: 0 };
  for (const span of spans) {
    const report = await collapse({ address: BigInt(span.start), length: span.end - span.start });
    out.collapsedBytes += report.collapsedBytes;
    out.elapsedMs += report.elapsedMs;
    // Units with no resident page fail with EINVAL (nothing to collapse: V8 reserves large
    // sparse regions); only a unit that held data and stayed small counts as refused.
    for (const unit of report.units) if (unit.residentPagesBefore > 0 && unit.outcome !== 'collapsed' && unit.outcome !== 'already-huge') out.failedUnits += unit.units;
  }
  return out;
}

async function hugeShare(ranges: readonly HotRange[]): Promise<number> {
  let huge = 0;
  let total = 0;
  for (const range of ranges) {
    for (const unit of await residency(range)) {
      total += unit.units;
      if (unit.pmdMapped) huge += unit.units;
    }
  }
  return total === 0 ? 0 : huge / total;
}

async function child(file: string, name: string, config: Config, scale: Scale, warmupS: number, measureS: number): Promise<void> {
  const modeBefore = thpMode();
  const workload = await loadWorkload(file, name);
  const t0 = performance.now();
  await workload.setup(scale);
  const setupMs = performance.now() - t0;
  const reach = eligibility(await new MemoryBackend('self').anonymousMappings());
  const collapsed = config === 'collapsed' ? await collapseEverything(reach.spans) : null;
  await runFor(workload, warmupS * 1000);
  const { ops, seconds, cpuSeconds } = await runFor(workload, measureS * 1000);
  const rollup = await readSmapsRollup();
  const hot = workload.hotRanges?.();
  const result: Result = {
    config,
    setupMs,
    opsPerSecond: ops / seconds,
    opsPerCpuSecond: ops / cpuSeconds,
    rssBytes: rollup.rss,
    anonymousBytes: rollup.anonymous,
    anonHugeBytes: rollup.anonHugePages,
    hotHuge: hot === undefined ? null : await hugeShare(hot),
    eligibleBytes: reach.eligibleAnonymousBytes,
    ineligibleBytes: reach.ineligibleAnonymousBytes,
    collapse: collapsed,
    thpModes: [modeBefore, thpMode()],
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

const root = path.resolve(__dirname, '../..');
function spawnOnce(file: string, name: string, config: Config, scale: Scale, warmupS: number, measureS: number): Result {
  const env = { ...process.env };
  if (config === 'glibc-hugetlb') env['GLIBC_TUNABLES'] = 'glibc.malloc.hugetlb=1';
  else delete env['GLIBC_TUNABLES'];
  const script = path.join(root, 'node_modules/vite-node/vite-node.mjs');
  const args = [script, __filename, '--', '--child', file, name, config, scale, String(warmupS), String(measureS)];
  const r = spawnSync(process.execPath, args, { cwd: root, env, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`${name} ${config} failed (${r.status ?? r.signal}): ${r.stderr}`);
  if (r.stderr.trim()) process.stderr.write(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Result;
}

/**
 * A run during which the system's THP mode was not `mode` is measured again (up to 3 times):
 * on a shared machine another benchmark may switch /sys/kernel/mm/transparent_hugepage/enabled
 * to `always` for a while, which would give 'none' huge pages at fault.
 */
function spawnChild(file: string, name: string, config: Config, scale: Scale, warmupS: number, measureS: number, mode: string): Result {
  for (let attempt = 1; ; attempt++) {
    const r = spawnOnce(file, name, config, scale, warmupS, measureS);
    if (r.thpModes.every((m) => m === mode)) return r;
    if (attempt === 3) throw new Error(`${name} ${config}: the system's THP mode kept changing (${r.thpModes.join(' -> ')}, expected ${mode})`);
    console.error(`${name} ${config}: THP mode was ${r.thpModes.join(' -> ')} during the run, not ${mode}; measuring again`);
  }
}

async function parent(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: {
      scale: { type: 'string', default: 'full' },
      rounds: { type: 'string', default: '3' },
      warmup: { type: 'string', default: '3' },
      measure: { type: 'string', default: '6' },
      only: { type: 'string' },
    },
  });
  const scale = values.scale as Scale;
  if (scale !== 'quick' && scale !== 'full') throw new Error(`--scale: quick or full, not ${scale}`);
  const rounds = Number(values.rounds);
  const only = values.only?.split(',');
  const mode = thpMode();
  const sections: string[] = [
    `CPU: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} CPUs; THP enabled: ${mode}; load average at the start ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
    `third-party workloads, scale ${scale}: ${rounds} interleaved rounds, warm-up ${values.warmup} s, measured ${values.measure} s, fresh process per run; median ±(max-min)/2`,
  ];
  const data: Record<string, Record<Config, Result[]>> = {};
  const thirdParty = workloadModules().filter((m) => m.thirdParty);
  const workloads = (await Promise.all(thirdParty.map(async ({ file }) => (await loadModule(file)).map((workload) => ({ file, workload }))))).flat();
  for (const { file, workload } of workloads) {
    if (only && !only.includes(workload.name)) continue;
    const results: Record<Config, Result[]> = { none: [], 'glibc-hugetlb': [], collapsed: [] };
    for (let round = 0; round < rounds; round++) {
      for (const config of CONFIGS.map((_, i) => CONFIGS[(i + round) % CONFIGS.length]!)) {
        const r = spawnChild(file, workload.name, config, scale, Number(values.warmup), Number(values.measure), mode);
        results[config].push(r);
        console.error(
          `${workload.name} round ${round + 1}/${rounds} ${config}: ${(r.opsPerSecond / 1e3).toFixed(1)} k ${workload.unit}/s (${(r.opsPerCpuSecond / 1e3).toFixed(1)} k per CPU-s), RSS ${(r.rssBytes / MiB).toFixed(0)} MiB, AnonHugePages ${(r.anonHugeBytes / MiB).toFixed(0)} MiB`,
        );
      }
    }
    data[workload.name] = results;
    sections.push(summarize(workload, results));
  }
  sections.push(
    `load average at the end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const text = sections.join('\n\n');
  console.log(text);
  saveResults('third-party-check', text, data, scale);
}

function summarize(workload: Workload, results: Record<Config, Result[]>): string {
  const med = (c: Config, f: (r: Result) => number) => median(results[c].map(f));
  const fmt = (c: Config, f: (r: Result) => number, scale: number, digits: number) => `${(med(c, f) / scale).toFixed(digits)} ±${(spread(results[c].map(f)) / scale).toFixed(digits)}`;
  const rows = CONFIGS.map((c) => [
    c,
    fmt(c, (r) => r.opsPerSecond, 1e3, 1),
    fmt(c, (r) => r.opsPerCpuSecond, 1e3, 1),
    `${(med(c, (r) => r.opsPerCpuSecond) / med('none', (r) => r.opsPerCpuSecond)).toFixed(3)}x`,
    fmt(c, (r) => r.rssBytes, MiB, 0),
    fmt(c, (r) => r.anonHugeBytes, MiB, 0),
    results[c][0]!.hotHuge === null ? '-' : fmt(c, (r) => r.hotHuge! * 100, 1, 0),
    fmt(c, (r) => r.setupMs, 1000, 1),
  ]);
  const first = results.none[0]!;
  const collapses = results.collapsed.map((r) => r.collapse!);
  // Per round, each configuration against the 'none' run of the same round (they ran back to back).
  const perRound = (c: Config) => results[c].map((r, i) => (r.opsPerCpuSecond / results.none[i]!.opsPerCpuSecond).toFixed(3)).join(', ');
  return [
    `${workload.name} (${workload.title}; tuner can help: ${workload.tunerCanHelp ? 'yes' : 'no'})`,
    formatTable(['config', `k ${workload.unit}/s`, `k ${workload.unit}/CPU-s`, 'vs none (CPU)', 'RSS MiB', 'AnonHugePages MiB', 'hot on 2M %', 'setup s'], rows),
    `vs none per round (per CPU second): glibc-hugetlb ${perRound('glibc-hugetlb')}; collapsed ${perRound('collapsed')}`,
    `anonymous memory after setup (none): ${(first.eligibleBytes / MiB).toFixed(0)} MiB in mappings that can hold a 2 MiB unit, ${(first.ineligibleBytes / MiB).toFixed(0)} MiB in mappings that cannot (V8 heap, small mappings)`,
    `collapse: ${collapses.map((c) => `${(c.collapsedBytes / MiB).toFixed(0)} MiB in ${(c.elapsedMs / 1000).toFixed(1)} s, ${c.failedUnits} units with data refused`).join('; ')}`,
  ].join('\n');
}

const argv = process.argv.slice(2).filter((a) => a !== '--');
if (argv[0] === '--child') {
  const [, file, name, config, scale, warmupS, measureS] = argv;
  await child(file!, name!, config as Config, scale as Scale, Number(warmupS), Number(measureS));
} else {
  await parent();
}
