// Cost to the monitored program of the `pagemap` source: the slowdown of a write-heavy JS
// loop over a 1 GiB buffer with the monitor off, on at a fixed 5 ms sampling interval, and
// on with interval auto-tuning (DAMON's recommended goal: 4% access events, tuned every 3
// aggregations, sampling between 5 ms and 10 s) with up to 1000 regions, and with the
// library's pagemapLowOverhead preset (auto-tuned, at most 50 regions, a 50 ms floor).
//
// What the program pays: each write to a page the monitor has write-protected takes a fault
// the kernel resolves itself (userfaultfd WP_ASYNC), and each re-protection flushes the
// page's TLB entry on the writer's CPU (a shootdown IPI while it runs). Both land in the
// writing thread's own CPU time, so that is the primary figure: the main thread's run time
// (getrusage's process total minus the other threads' schedstat, see thread-usage.ts), which,
// unlike wall time, does not grow while another process holds the CPU. Its minor faults (the write-protect faults) come from the same
// thread's stat, its preemptions (involuntary context switches: the monitor thread waking on
// its CPU every sample and cooling its caches) from the thread's status. The monitor
// thread's CPU is reported apart: it is not the program's cost. A least-squares fit over all
// monitored rounds splits the writer's lost CPU into ns per fault and ns per preemption.
//
// Rounds interleave the configurations (rotating their order); every round runs `--settle`
// ms of the same writes before measuring, so region adaptation and auto-tuning see the
// workload (not an idle program) when measured. Slowdowns are per-round ratios to "off" of
// the same round: median [25th..75th percentile]. By default neither thread is pinned (the
// library does not pin its monitor thread); then the cost per fault depends on where the
// scheduler puts the monitor: on the writer's CPU (it preempts the writer, TLB flushes are
// local) or on another one (each flush is an IPI to the writer). --pin fixes the second case.
//
// Workloads: `uniform` (random writes over the whole buffer: every region is hot) and
// `hot5` (95% of the writes to a 5% hot set, the rest uniform).
//
//   npx vite-node bench/pagemap-overhead/index.ts [--rounds 21] [--writes 4000000] [--settle 1000]
//     [--warmup 3] [--configs off,fixed,auto,lowOverhead] [--tag cpu] [--pin]
//   (--configs also takes auto100, fixed10, auto100-min10, auto-min100)
import { parseArgs } from 'node:util';
import { PagemapSource, AccessMonitor, pagemapLowOverhead, type Duration, type IntervalsGoalOptions, type MonitorAttributes } from '../../lib/index.js';
import { addressOf, allocAligned, madvise } from '../../lib/memory/index.js';
import { fitTwo, median, quantile, spread } from '../common/stats.js';
import { formatTable } from '../common/table.js';
import { saveResults } from '../common/save.js';
import { MAIN_THREAD, mainThreadCpuNs, threadIds, threadUsage } from '../common/thread-usage.js';
import { ThreadPinner } from '../common/pinner.js';

const GiB = 2 ** 30;
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '21' },
    writes: { type: 'string', default: '4000000' },
    settle: { type: 'string', default: '1000' },
    warmup: { type: 'string', default: '3' },
    configs: { type: 'string', default: 'off,fixed,auto,lowOverhead' },
    tag: { type: 'string', default: '' },
    pin: { type: 'boolean', default: false },
  },
});
const rounds = Number(values.rounds);
const writes = Number(values.writes);
const settleMs = Number(values.settle);
const warmupSeconds = Number(values.warmup);
// --pin: the writer on CPU 0, the monitor thread on CPU 1, so every re-protection of a page
// the writer wrote is a cross-CPU TLB shootdown and the monitor never preempts the writer
// (unpinned, where the monitor runs depends on what else the machine is doing).
const pinner = values.pin ? new ThreadPinner() : null; // started before the buffer exists: see pinner.ts
const pin = async (tid: number, cpu: number) => pinner?.pin(tid, cpu);
await pin(MAIN_THREAD, 0);

const buffer = allocAligned(GiB);
await madvise(buffer, 'nohugepage');
await madvise(buffer, 'populate-write');
const words = new Uint32Array(buffer);
const start = Number(addressOf(buffer));

type Workload = 'uniform' | 'hot5';
// `n` seeded pseudo-random writes.
function writeLoop(workload: Workload, n: number, seed: number): void {
  const all = words.length;
  const hot = Math.floor(all * 0.05);
  const hotBase = Math.floor(all * 0.4);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const r = x >>> 0;
    const index = workload === 'uniform' || r % 20 === 0 ? r % all : hotBase + (r % hot);
    words[index] = i;
  }
}

// Writes for `ms` milliseconds in 1M-write chunks, yielding to the event loop between them.
// Every chunk draws new addresses: a monitor's protection stays on a sampled page until the
// page is written, so settling with one repeated sequence (as this bench once did) left the
// pages it never wrote protected, and the measured loop's fresh addresses then paid for that
// whole backlog at once (hot5 showed ~10 faults per protection made in the measured window).
let chunkSeed = 1_000_000;
async function writeFor(workload: Workload, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    writeLoop(workload, 1_000_000, chunkSeed++);
    await new Promise((r) => setImmediate(r));
  }
}

interface Config {
  label: string;
  monitoring: MonitorAttributes | null;
}
const goal = (minSampleInterval: Duration): IntervalsGoalOptions => ({ access: '4%', aggregations: 3, minSampleInterval, maxSampleInterval: '10s' });
const CONFIGS: Record<string, Config> = {
  off: { label: 'off', monitoring: null },
  fixed: { label: 'fixed 5 ms', monitoring: { maxRegions: 1000 } },
  auto: { label: 'auto-tuned', monitoring: { maxRegions: 1000, intervalsGoal: goal('5ms') } },
  auto100: { label: 'auto-tuned, max 100 regions', monitoring: { maxRegions: 100, intervalsGoal: goal('5ms') } },
  // Few regions (few faults) at the same 5 ms: separates the cost per sample from the cost per fault.
  fixed10: { label: 'fixed 5 ms, 10 regions', monitoring: { minRegions: 10, maxRegions: 10 } },
  // Candidates for the 3% target: they bound regions x samples per second, which bounds the
  // write-protect faults per second.
  'auto100-min10': { label: 'auto-tuned, max 100 regions, min 10 ms', monitoring: { maxRegions: 100, sampleInterval: '10ms', aggregationInterval: '200ms', intervalsGoal: goal('10ms') } },
  // The library's recommendation for this source (lib/monitor/presets.ts): up to 50 regions,
  // auto-tuned with a 50 ms floor.
  lowOverhead: { label: 'auto-tuned, pagemapLowOverhead preset', monitoring: pagemapLowOverhead },
  'auto-min100': { label: 'auto-tuned, min 100 ms', monitoring: { maxRegions: 1000, sampleInterval: '100ms', aggregationInterval: '2s', intervalsGoal: goal('100ms') } },
};
const names = values.configs.split(',');
for (const n of names) if (!CONFIGS[n]) throw new Error(`unknown config ${n}; one of ${Object.keys(CONFIGS).join(', ')}`);
if (names[0] !== 'off') throw new Error('the first config must be off: slowdowns are ratios to it');

function monitor(config: Config): AccessMonitor | null {
  if (!config.monitoring) return null;
  return new AccessMonitor({
    monitoring: { sampleInterval: '5ms', aggregationInterval: '100ms', ...config.monitoring },
    targets: [{ ranges: [{ start, end: start + GiB }] }],
    source: new PagemapSource(),
  });
}

interface Round {
  wallNs: number; // per write
  cpuNs: number; // writer thread CPU per write
  faults: number; // writer thread minor faults in the measured loop
  preemptions: number; // writer thread involuntary context switches in the measured loop
  monitorCpuShare: number; // monitor thread CPU / wall time of the loop
  sampleUs: number;
  regions: number;
}

// One measured loop under `m` (already started and settled, or null for off).
function measure(workload: Workload, seed: number, monitorTids: number[], m: AccessMonitor | null): Round {
  const monitorCpu = () => monitorTids.reduce((sum, tid) => sum + threadUsage(tid).cpuNs, 0);
  const m0 = monitorCpu();
  const u0 = threadUsage(MAIN_THREAD);
  const c0 = mainThreadCpuNs();
  const t0 = process.hrtime.bigint();
  writeLoop(workload, writes, seed);
  const wall = Number(process.hrtime.bigint() - t0);
  const c1 = mainThreadCpuNs();
  const u1 = threadUsage(MAIN_THREAD);
  return {
    wallNs: wall / writes,
    cpuNs: (c1 - c0) / writes,
    faults: u1.minorFaults - u0.minorFaults,
    preemptions: u1.preemptions - u0.preemptions,
    monitorCpuShare: (monitorCpu() - m0) / wall,
    sampleUs: (m?.attributes().sampleIntervalMs ?? 0) * 1000,
    regions: m?.snapshot()?.regions.length ?? 0,
  };
}

const pct = (ratios: number[]) => `${((median(ratios) - 1) * 100).toFixed(1)}% [${((quantile(ratios, 0.25) - 1) * 100).toFixed(1)}..${((quantile(ratios, 0.75) - 1) * 100).toFixed(1)}]`;

const rows: string[][] = [];
const results: unknown[] = [];
const fits: string[] = [];
for (const workload of ['uniform', 'hot5'] as const) {
  const monitors = Object.fromEntries(names.map((n) => [n, monitor(CONFIGS[n]!)]));
  // Let auto-tuning and region adaptation settle under this workload before the rounds: a
  // monitor's regions and tuned intervals persist across stop and start.
  const tuned = names.filter((n) => CONFIGS[n]!.monitoring?.intervalsGoal).map((n) => monitors[n]!);
  for (const m of tuned) {
    m.start();
    await writeFor(workload, warmupSeconds * 1000);
    await m.stop();
  }
  const runs = Object.fromEntries(names.map((n) => [n, [] as Round[]]));
  for (let round = 0; round < rounds; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]!);
    const byName: Record<string, Round> = {};
    for (const name of order) {
      const m = monitors[name] ?? null;
      const before = new Set(threadIds());
      m?.start();
      const monitorTids = threadIds().filter((t) => !before.has(t));
      for (const tid of monitorTids) await pin(tid, 1);
      await writeFor(workload, settleMs);
      byName[name] = measure(workload, 1 + round, monitorTids, m);
      await m?.stop();
    }
    for (const name of names) runs[name]!.push(byName[name]!);
  }
  const off = runs['off']!;
  for (const name of names) {
    const r = runs[name]!;
    const cpuRatio = r.map((x, i) => x.cpuNs / off[i]!.cpuNs);
    const wallRatio = r.map((x, i) => x.wallNs / off[i]!.wallNs);
    // CPU the writer lost per write-protect fault, pairing each round with its "off" run.
    const nsPerFault = r.map((x, i) => ((x.cpuNs - off[i]!.cpuNs) * writes) / Math.max(1, x.faults - off[i]!.faults));
    const faultsPerCpuSecond = r.map((x, i) => ((x.faults - off[i]!.faults) / (x.cpuNs * writes)) * 1e9);
    const preemptionsPerSecond = r.map((x) => (x.preemptions / (x.wallNs * writes)) * 1e9);
    const on = name !== 'off';
    const sample = r.map((x) => x.sampleUs / 1000);
    rows.push([
      workload,
      CONFIGS[name]!.label,
      on ? `${Math.min(...sample)}..${Math.max(...sample)}` : '-',
      on ? String(median(r.map((x) => x.regions))) : '-',
      `${median(r.map((x) => x.wallNs)).toFixed(2)} ±${spread(r.map((x) => x.wallNs)).toFixed(2)}`,
      `${median(r.map((x) => x.cpuNs)).toFixed(2)} ±${spread(r.map((x) => x.cpuNs)).toFixed(2)}`,
      pct(cpuRatio),
      pct(wallRatio),
      on ? median(faultsPerCpuSecond).toFixed(0) : '-',
      on ? median(nsPerFault).toFixed(0) : '-',
      median(preemptionsPerSecond).toFixed(0),
      on ? `${(median(r.map((x) => x.monitorCpuShare)) * 100).toFixed(1)}%` : '-',
    ]);
  }
  // What the writer's lost CPU goes with, over every round with the monitor on: its
  // write-protect faults and its preemptions (the monitor thread waking on its CPU).
  const onRounds = names.filter((n) => n !== 'off').flatMap((n) => runs[n]!.map((x, i) => ({ x, off: off[i]! })));
  const [perFault, perPreemption] = fitTwo(
    onRounds.map(({ x, off }) => (x.faults - off.faults) / (x.cpuNs * writes)),
    onRounds.map(({ x, off }) => (x.preemptions - off.preemptions) / (x.cpuNs * writes)),
    onRounds.map(({ x, off }) => x.cpuNs / off.cpuNs - 1),
  );
  fits.push(
    `${workload}: writer CPU lost ~ ${perFault.toFixed(0)} ns per extra WP fault + ${perPreemption.toFixed(0)} ns per extra preemption (least squares over ${onRounds.length} monitored rounds)`,
  );
  results.push({ workload, runs, nsPerFault: perFault, nsPerPreemption: perPreemption });
}

const table = formatTable(
  [
    'workload',
    'monitor',
    'sample ms',
    'regions',
    'wall ns/write',
    'writer CPU ns/write',
    'writer CPU slowdown',
    'wall slowdown',
    'WP faults/CPU-s',
    'CPU ns/fault',
    'writer preemptions/s',
    'monitor CPU',
  ],
  rows,
);
const header =
  `write loop over a 1 GiB buffer (4 KiB pages), ${writes} writes per run, ${rounds} interleaved rounds, ${settleMs} ms of writes before each; ` +
  `ns: median ±(max-min)/2; slowdowns: median [p25..p75] of per-round ratios to off; writer = main thread CPU (getrusage - other threads), ` +
  (values.pin ? 'writer pinned to CPU 0, monitor to CPU 1' : 'unpinned');
const text = [header, table, ...fits].join('\n');
console.log(text);
pinner?.close();
saveResults('pagemap-overhead', text, { writes, rounds, settleMs, warmupSeconds, configs: names, results }, values.tag);
