// Simulator throughput, single thread: accesses per second on a TLB-hit-dominated stream and on
// a walk-heavy stream (uniform random over 64 GiB of 4 KiB pages), through the in-process
// generator (runSync) and through JS batches (access(BigUint64Array), read in place).
// Targets from the issue: >= 100 M/s hit-dominated, >= 30 M/s walk-heavy.
//
//   npx vite-node bench/sim-throughput/index.ts [--rounds 3] [--scale 1]
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { TlbSimulator, type PageSize, type SimStats, type TlbSimulatorOptions, type Workload } from '../../lib/simulator/index.js';
import { median, spread } from '../common/stats.js';
import { formatTable } from '../common/table.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, scale: { type: 'string', default: '1' } } });
const rounds = Number(values.rounds);
const scale = Number(values.scale);
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
const cases: Case[] = [
  { name: 'TLB-hit: uniform over 256 KiB (64 pages, inside L1), native', options: { nested: false }, bytes: 64 * 4096, pageSize: '4k', workload: hitStream, count: 20e6, batch: false, target: 100 },
  { name: 'TLB-hit: sequential 8-byte reads over 1 GiB, native', options: { nested: false }, bytes: GiB, pageSize: '4k', workload: { kind: 'sequential', base: BASE, bytes: GiB }, count: 20e6, batch: false, target: 100 },
  { name: 'TLB-hit: uniform over 256 KiB, JS BigUint64Array batches', options: { nested: false }, bytes: 64 * 4096, pageSize: '4k', workload: hitStream, count: 20e6, batch: true, target: 100 },
  { name: 'walk-heavy: uniform over 64 GiB, 4 KiB pages, native', options: { nested: false }, bytes: 64 * GiB, pageSize: '4k', workload: walkStream, count: 3e6, batch: false, target: 30 },
  { name: 'walk-heavy: same, without the page-table line cache model', options: { nested: false, overrides: { pageTableCache: { entries: 0, ways: 0 } } }, bytes: 64 * GiB, pageSize: '4k', workload: walkStream, count: 3e6, batch: false, target: 30 },
  { name: 'walk-heavy: same, JS BigUint64Array batches', options: { nested: false }, bytes: 64 * GiB, pageSize: '4k', workload: walkStream, count: 3e6, batch: true, target: 30 },
  { name: 'walk-heavy: same, preset haswell (set-associative L1)', options: { preset: 'haswell', nested: false }, bytes: 64 * GiB, pageSize: '4k', workload: walkStream, count: 3e6, batch: false, target: 30 },
  { name: 'walk-heavy: same, preset champsim (all set-associative)', options: { preset: 'champsim', nested: false }, bytes: 64 * GiB, pageSize: '4k', workload: walkStream, count: 3e6, batch: false, target: 30 },
  { name: 'walk-heavy: uniform over 64 GiB, 4 KiB pages, nested (host 4 KiB)', options: { nested: true }, bytes: 64 * GiB, pageSize: '4k', workload: walkStream, count: 1e6, batch: false, target: 30 },
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

const rows: string[][] = [];
const results: unknown[] = [];
for (const c of cases) {
  const sim = new TlbSimulator(c.options);
  const mapStart = performance.now();
  sim.map(BASE, c.bytes, c.pageSize);
  const mapMs = performance.now() - mapStart;
  const count = Math.round(c.count * scale);
  const batch = c.batch ? makeBatch(c.bytes, 1 << 20, 7) : undefined;
  // Warm up (fills the TLBs and caches), then time whole rounds.
  sim.runSync({ ...c.workload, count: Math.min(count, 1e6) } as Workload);
  const rates: number[] = [];
  let last: SimStats | undefined;
  for (let r = 0; r < rounds; r++) {
    sim.clearCounters();
    const t0 = process.hrtime.bigint();
    if (batch) {
      for (let done = 0; done < count; done += batch.length) sim.access(batch);
    } else {
      sim.runSync({ ...c.workload, count, seed: r + 2 } as Workload);
    }
    const ns = Number(process.hrtime.bigint() - t0);
    last = sim.stats();
    rates.push(last.accesses / ns * 1e3);
  }
  const m = median(rates);
  const walkShare = last ? last.walks.walks / last.accesses : 0;
  rows.push([c.name, `${m.toFixed(1)} ±${spread(rates).toFixed(1)}`, `${c.target}`, m >= c.target ? 'yes' : 'NO', `${(100 * walkShare).toFixed(1)}%`, `${(mapMs / 1000).toFixed(2)} s`]);
  results.push({ name: c.name, ratesMPerS: rates, target: c.target, walkShare, mapMs, pageTableBytes: last?.memory.pageTableBytes });
  console.log(rows[rows.length - 1]?.join(' | '));
}

const header = `TLB simulator throughput, one thread, M accesses/s (median of ${rounds} rounds ±(max-min)/2); preset this-machine unless named`;
const table = formatTable(['stream', 'M acc/s', 'target', 'met', 'walks/access', 'map time'], rows);
console.log('\n' + header + '\n' + table);
const outDir = path.resolve(__dirname, '../results');
mkdirSync(outDir, { recursive: true });
const stamp = new Date().toISOString().slice(0, 10);
writeFileSync(path.join(outDir, `sim-throughput-${stamp}.txt`), header + '\n' + table + '\n');
writeFileSync(path.join(outDir, `sim-throughput-${stamp}.json`), JSON.stringify({ rounds, scale, results }, null, 2) + '\n');
