// Cost to the monitored program of the `pagemap` source: the slowdown of a write-heavy JS
// loop over a 1 GiB buffer with the monitor off, on at a fixed 5 ms sampling interval, and
// on with interval auto-tuning (DAMON's recommended goal: 4% access events, tuned every 3
// aggregations, sampling between 5 ms and 10 s), with up to 1000 and up to 100 regions. Each write to a page the monitor has
// write-protected takes a fault the kernel resolves itself (userfaultfd WP_ASYNC); the
// monitor thread also competes for the machine's CPUs. Configurations are interleaved
// round by round; the table shows medians and their ratio to "off".
//
// Workloads: `uniform` (random writes over the whole buffer: every region is hot) and
// `hot5` (95% of the writes to a 5% hot set, the rest uniform).
//
//   npx vite-node bench/pagemap-overhead/index.ts [--rounds 5] [--writes 20000000] [--warmup 3]
import { parseArgs } from 'node:util';
import { AccessMonitor } from '../../lib/index.js';
import { addressOf, allocAligned, madvise } from '../../lib/memory/index.js';
import { median, spread } from '../common/stats.js';
import { formatTable } from '../common/table.js';
import { saveResults } from '../common/save.js';

const GiB = 2 ** 30;
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    writes: { type: 'string', default: '20000000' },
    warmup: { type: 'string', default: '3' },
  },
});
const rounds = Number(values.rounds);
const writes = Number(values.writes);
const warmupSeconds = Number(values.warmup);

const buffer = allocAligned(GiB);
await madvise(buffer, 'nohugepage');
await madvise(buffer, 'populate-write');
const words = new Uint32Array(buffer);
const start = Number(addressOf(buffer));

type Workload = 'uniform' | 'hot5';
// ns per write of `n` seeded pseudo-random writes.
function writeLoop(workload: Workload, n: number, seed: number): number {
  const all = words.length;
  const hot = Math.floor(all * 0.05);
  const hotBase = Math.floor(all * 0.4);
  let x = seed >>> 0 || 1;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const r = x >>> 0;
    const index = workload === 'uniform' || r % 20 === 0 ? r % all : hotBase + (r % hot);
    words[index] = i;
  }
  return Number(process.hrtime.bigint() - t0) / n;
}

function monitor(auto: boolean, maxRegions = 1000): AccessMonitor {
  return new AccessMonitor({
    sampleInterval: '5ms',
    aggregationInterval: '100ms',
    maxRegions,
    ...(auto ? { intervalsGoal: { accessBp: 400, aggregations: 3, minSampleInterval: '5ms', maxSampleInterval: '10s' } } : {}),
    targets: [{ ranges: [{ start, end: start + GiB }] }],
    source: { kind: 'pagemap' },
  });
}

const rows: string[][] = [];
const results: unknown[] = [];
for (const workload of ['uniform', 'hot5'] as const) {
  // The cost grows with regions x samples per second (one write fault per written sampling
  // page), so an auto-tuned monitor capped at 100 regions is measured too.
  const configs = { off: null as AccessMonitor | null, fixed: monitor(false), auto: monitor(true), auto100: monitor(true, 100) };
  const names = Object.keys(configs) as (keyof typeof configs)[];
  // Let auto-tuning settle under this workload before measuring.
  for (const m of [configs.auto, configs.auto100]) m.start();
  const until = Date.now() + warmupSeconds * 1000;
  while (Date.now() < until) {
    writeLoop(workload, 1_000_000, 7);
    await new Promise((r) => setImmediate(r));
  }
  await Promise.all([configs.auto.stop(), configs.auto100.stop()]);
  const ns = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<keyof typeof configs, number[]>;
  const sampleUs = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<keyof typeof configs, number[]>;
  const regions = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<keyof typeof configs, number[]>;
  // Minor faults per microsecond of the loop: each write to a write-protected sampling page
  // is one (resolved by the kernel); this count does not depend on the machine's noise.
  const faults = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<keyof typeof configs, number[]>;
  for (let round = 0; round < rounds; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]!);
    for (const name of order) {
      const m = configs[name];
      m?.start();
      await new Promise((r) => setTimeout(r, 500)); // the monitor is past start-up
      const before = process.resourceUsage();
      const t0 = performance.now();
      ns[name].push(writeLoop(workload, writes, 1 + round));
      faults[name].push((process.resourceUsage().minorPageFault - before.minorPageFault) / ((performance.now() - t0) / 1000));
      if (m) {
        sampleUs[name].push(m.attributes().sampleIntervalUs);
        regions[name].push(m.snapshot()?.regions.length ?? 0);
      }
      await m?.stop();
    }
  }
  const off = median(ns.off);
  const label = { off: 'off', fixed: 'fixed 5 ms', auto: 'auto-tuned', auto100: 'auto-tuned, max 100 regions' };
  for (const name of names) {
    rows.push([
      workload,
      label[name],
      name === 'off' ? '-' : `${Math.min(...sampleUs[name]) / 1000}..${Math.max(...sampleUs[name]) / 1000}`,
      name === 'off' ? '-' : String(median(regions[name])),
      `${median(ns[name]).toFixed(2)} ±${spread(ns[name]).toFixed(2)}`,
      `${((median(ns[name]) / off - 1) * 100).toFixed(1)}%`,
      median(faults[name]).toFixed(0),
    ]);
  }
  results.push({ workload, ns, sampleUs, regions, faultsPerSecond: faults });
}

const table = formatTable(['workload', 'monitor', 'sample ms', 'regions', 'ns per write', 'slowdown vs off', 'faults/s'], rows);
const header = `write loop over a 1 GiB buffer (4 KiB pages), ${writes} writes per run, ${rounds} interleaved rounds; median ±(max-min)/2`;
console.log(header + '\n' + table);
saveResults('pagemap-overhead', header + '\n' + table, { writes, rounds, warmupSeconds, results });
