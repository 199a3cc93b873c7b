// Simulator throughput, single thread: accesses per second on a TLB-hit-dominated stream and on
// a walk-heavy stream (uniform random over 64 GiB of 4 KiB pages), through the in-process
// generator (runSync) and through JS batches (access(BigUint64Array), read in place).
// Targets: >= 100 M/s hit-dominated and >= 30 M/s walk-heavy, so that a simulated minute of a
// busy program (tens of millions of accesses a second) takes minutes, not hours.
//
// With --baseline <addon.node> (another build of this addon, e.g. of an older commit) every
// round also runs the same stream on that build, alternating with this one, so the table's
// before/after ratio comes from one run on this noisy machine; both builds must produce the
// same counters, which the bench checks.
//
//   npx vite-node bench/sim-throughput/index.ts [--rounds 3] [--scale 1] [--baseline path/to/thp_autotune.node] [--only TEXT] [--tag NAME]
// (--tag keeps a run's result files apart from other runs of the same day)
import { createRequire } from 'node:module';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseArgs } from 'node:util';
import { TlbSimulator, resolveMachine, type PageSize, type SimStats, type TlbSimulatorOptions, type Workload } from '../../lib/simulator/index.js';
import type { TlbSimBinding } from '../../lib/simulator/native.js';
import { toRunSpec } from '../../lib/simulator/workload.js';
import { saveResults } from '../common/save.js';
import { median, spread } from '../common/stats.js';
import { formatTable } from '../common/table.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    scale: { type: 'string', default: '1' },
    baseline: { type: 'string' },
    only: { type: 'string' }, // run only the streams whose name contains this
    tag: { type: 'string', default: '' },
  },
});
const rounds = Number(values.rounds);
const scale = Number(values.scale);
const baseline = values.baseline === undefined ? undefined : (createRequire(__filename)(path.resolve(values.baseline)) as TlbSimBinding);
const BASE = 1n << 40n;
const GiB = 2 ** 30;

interface Case {
  name: string;
  options: TlbSimulatorOptions;
  bytes: number;
  pageSize: PageSize;
  workload: Omit<Workload & { kind: 'uniform' | 'sequential' }, 'count'>;
  count: number;
  batch: boolean;
  target: number;
}

const hitStream = { kind: 'uniform' as const, base: BASE, bytes: 64 * 4096 };
const walkStream = { kind: 'uniform' as const, base: BASE, bytes: 64 * GiB };
/** A walk-heavy stream over 64 GiB of 4 KiB pages, on the simulator `options` describe. */
const walkHeavy = (name: string, options: Case['options'], extra: Partial<Case> = {}): Case => ({
  name,
  options,
  bytes: 64 * GiB,
  pageSize: '4k',
  workload: walkStream,
  count: 3e6,
  batch: false,
  target: 30,
  ...extra,
});
const cases: Case[] = [
  { name: 'TLB-hit: uniform over 256 KiB (64 pages, inside L1), native', options: { nested: false }, bytes: 64 * 4096, pageSize: '4k', workload: hitStream, count: 20e6, batch: false, target: 100 },
  {
    name: 'TLB-hit: sequential 8-byte reads over 1 GiB, native',
    options: { nested: false },
    bytes: GiB,
    pageSize: '4k',
    workload: { kind: 'sequential', base: BASE, bytes: GiB },
    count: 20e6,
    batch: false,
    target: 100,
  },
  { name: 'TLB-hit: uniform over 256 KiB, JS BigUint64Array batches', options: { nested: false }, bytes: 64 * 4096, pageSize: '4k', workload: hitStream, count: 20e6, batch: true, target: 100 },
  walkHeavy('walk-heavy: uniform over 64 GiB, 4 KiB pages, native', { nested: false }),
  walkHeavy('walk-heavy: same, without the page-table line cache model', { nested: false, overrides: { pageTableCache: { entries: 0, ways: 0 } } }),
  walkHeavy('walk-heavy: same, JS BigUint64Array batches', { nested: false }, { batch: true }),
  walkHeavy('walk-heavy: same, preset haswell (set-associative L1)', { preset: 'haswell', nested: false }),
  walkHeavy('walk-heavy: same, preset champsim (all set-associative)', { preset: 'champsim', nested: false }),
  walkHeavy('walk-heavy: uniform over 64 GiB, 4 KiB pages, nested (host 4 KiB)', { nested: true }, { count: 1e6 }),
];

// JS-side batches: the same uniform stream, generated once (xorshift) into a reused array.
function makeBatch(bytes: number, n: number, seed: number): BigUint64Array {
  const out = new BigUint64Array(n);
  let x = seed;
  const slots = bytes / 8;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = BASE + BigInt(Math.floor(((x >>> 0) / 4294967296) * slots) * 8);
  }
  return out;
}

// What a round needs from a simulator: this build through the public API, or the baseline
// build's native object directly (the API layer adds nothing inside the timed loop).
interface Runner {
  map(bytes: number, size: PageSize): void;
  run(workload: Workload): void;
  access(batch: BigUint64Array): void;
  stats(): SimStats;
  clearCounters(): void;
}

function currentRunner(options: TlbSimulatorOptions): Runner {
  const sim = new TlbSimulator(options);
  return {
    map: (bytes, size) => sim.map(BASE, bytes, size),
    run: (w) => void sim.runSync(w),
    access: (batch) => sim.access(batch),
    stats: () => sim.stats(),
    clearCounters: () => sim.clearCounters(),
  };
}

function baselineRunner(binding: TlbSimBinding, options: TlbSimulatorOptions): Runner {
  const sim = new binding.tlbsim.TlbSimulator(resolveMachine(options));
  return {
    map: (bytes, size) => {
      if (sim.map(BASE, bytes, size) !== 'ok') throw new Error('baseline map failed');
    },
    run: (w) => sim.runSync(toRunSpec(w)),
    access: (batch) => sim.access(batch, false),
    stats: () => sim.stats(),
    clearCounters: () => sim.clearCounters(),
  };
}

// One timed round: M accesses/s and the counters.
function round(sim: Runner, c: Case, count: number, r: number, batch: BigUint64Array | undefined): { rate: number; stats: SimStats } {
  sim.clearCounters();
  const t0 = process.hrtime.bigint();
  if (batch) {
    for (let done = 0; done < count; done += batch.length) sim.access(batch);
  } else {
    sim.run({ ...c.workload, count, seed: r + 2 } as Workload);
  }
  const ns = Number(process.hrtime.bigint() - t0);
  const stats = sim.stats();
  return { rate: (stats.accesses / ns) * 1e3, stats };
}

const rows: string[][] = [];
const results: unknown[] = [];
for (const c of cases.filter((k) => values.only === undefined || k.name.includes(values.only))) {
  const sims = [currentRunner(c.options), ...(baseline ? [baselineRunner(baseline, c.options)] : [])];
  const mapStart = performance.now();
  for (const sim of sims) sim.map(c.bytes, c.pageSize);
  const mapMs = (performance.now() - mapStart) / sims.length;
  const count = Math.round(c.count * scale);
  const batch = c.batch ? makeBatch(c.bytes, 1 << 20, 7) : undefined;
  // Warm up (fills the TLBs and caches), then time whole rounds, alternating the builds.
  for (const sim of sims) sim.run({ ...c.workload, count: Math.min(count, 1e6) } as Workload);
  const rates: number[][] = sims.map(() => []);
  let last: SimStats | undefined;
  for (let r = 0; r < rounds; r++) {
    const outcomes = sims.map((sim) => round(sim, c, count, r, batch));
    outcomes.forEach((o, k) => rates[k]!.push(o.rate));
    last = outcomes[0]!.stats;
    if (outcomes[1] && !isDeepStrictEqual(outcomes[0]!.stats, outcomes[1].stats)) {
      throw new Error(`${c.name}: this build and the baseline computed different counters`);
    }
  }
  const [now, before] = rates.map((r) => median(r));
  const walkShare = last ? last.walks.walks / last.accesses : 0;
  rows.push([
    c.name,
    ...(before === undefined ? [] : [`${before.toFixed(1)} ±${spread(rates[1]!).toFixed(1)}`]),
    `${now!.toFixed(1)} ±${spread(rates[0]!).toFixed(1)}`,
    ...(before === undefined ? [] : [`${(now! / before).toFixed(2)}x`]),
    `${c.target}`,
    now! >= c.target ? 'yes' : 'NO',
    `${(100 * walkShare).toFixed(1)}%`,
    `${(mapMs / 1000).toFixed(2)} s`,
  ]);
  results.push({ name: c.name, ratesMPerS: rates[0], baselineRatesMPerS: rates[1], target: c.target, walkShare, mapMs, pageTableBytes: last?.memory.pageTableBytes });
  console.log(rows[rows.length - 1]?.join(' | '));
}

const header =
  `TLB simulator throughput, one thread, M accesses/s (median of ${rounds} rounds ±(max-min)/2); preset zen4-vm unless named` +
  (values.baseline ? `\nbaseline: ${values.baseline}, run alternately with this build in the same process (identical counters checked)` : '');
const columns = baseline ? ['stream', 'before', 'after', 'speedup'] : ['stream', 'M acc/s'];
const table = formatTable([...columns, 'target', 'met', 'walks/access', 'map time'], rows);
console.log('\n' + header + '\n' + table);
saveResults(baseline ? 'sim-throughput-vs-baseline' : 'sim-throughput', header + '\n' + table, { rounds, scale, baseline: values.baseline, results }, values.tag);
