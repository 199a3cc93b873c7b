// Fixed simulations whose complete counters are pinned by pinned-counters.test.ts, so that any
// change to what the simulator computes (replacement order, walk-cache or page-table-cache
// behaviour, smashing, dirty assists, invalidation) shows up as a counter difference. They
// cover every preset shape: fully associative and set-associative TLB arrays, split and shared
// arrays, 4- and 5-level tables, nested walks, the in-process generators, JS batches, and map
// changes between runs.
import { TlbSimulator, type SimStats, type TlbSimulatorOptions, type Workload } from '../../lib/index.js';

const BASE = 1n << 40n;
const MiB = 2 ** 20;
const GiB = 2 ** 30;

export interface PinnedResult {
  stats: SimStats;
  /** Accessed and Dirty bits of sampled leaves after the run, as '0'/'1' pairs: what the walks set. */
  bits: string;
}

interface Scenario {
  name: string;
  options: TlbSimulatorOptions;
  drive: (sim: TlbSimulator) => void;
}

// A generated workload without its base (every scenario maps from BASE).
type AtBase<T> = T extends { base: unknown } ? Omit<T, 'base'> : never;

function run(sim: TlbSimulator, w: AtBase<Workload>): void {
  sim.runSync({ base: BASE, ...w } as Workload);
}

// xorshift32 addresses over `bytes`, 8-byte aligned: a JS-side batch independent of the native generators.
function batch(bytes: number, n: number, seed: number): BigUint64Array {
  const out = new BigUint64Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = BASE + BigInt(Math.floor(((x >>> 0) / 2 ** 32) * (bytes / 8)) * 8);
  }
  return out;
}

export const scenarios: Scenario[] = [
  {
    name: 'zen4-vm native, uniform over 256 MiB of 4 KiB pages, 30% writes',
    options: { nested: false },
    drive: (sim) => {
      sim.map(BASE, 256 * MiB, '4k');
      run(sim, { kind: 'uniform', bytes: 256 * MiB, count: 150_000, seed: 11, writeFraction: 0.3 });
    },
  },
  {
    name: 'zen4-vm nested, zipf over 4 KiB and 2 MiB halves, then a collapse and a flush',
    options: {},
    drive: (sim) => {
      sim.map(BASE, 32 * MiB, '4k');
      sim.map(BASE + BigInt(32 * MiB), 32 * MiB, '2m');
      run(sim, { kind: 'zipf', bytes: 64 * MiB, count: 60_000, seed: 5, theta: 0.9, writeFraction: 0.1 });
      sim.collapse(BASE + BigInt(4 * MiB));
      sim.testAndClearAccessed(BASE + BigInt(40 * MiB), { flush: true });
      run(sim, { kind: 'hotcold', bytes: 64 * MiB, count: 40_000, seed: 6, hotFraction: 0.05, hotShare: 0.8, writeFraction: 0.5 });
    },
  },
  {
    name: 'golden-cove, split arrays with 1 GiB entries, hotcold over mixed sizes',
    options: { preset: 'golden-cove', nested: false },
    drive: (sim) => {
      sim.map(BASE, 2 * GiB, '1g');
      sim.map(BASE + BigInt(2 * GiB), 256 * MiB, '2m');
      sim.map(BASE + BigInt(2 * GiB + 256 * MiB), 64 * MiB, '4k');
      run(sim, { kind: 'hotcold', bytes: 2 * GiB + 320 * MiB, count: 100_000, seed: 3, hotFraction: 0.2, hotShare: 0.7, writeFraction: 0.2 });
      run(sim, { kind: 'strided', bytes: 2 * GiB + 320 * MiB, count: 50_000, seed: 4, stride: 3 * MiB + 4096 });
    },
  },
  {
    name: 'haswell, phases over 4 KiB pages with clears, splits and unmaps between runs',
    options: { preset: 'haswell', nested: false },
    drive: (sim) => {
      sim.map(BASE, 64 * MiB, '2m');
      sim.map(BASE + BigInt(64 * MiB), 64 * MiB, '4k');
      run(sim, { kind: 'phases', bytes: 128 * MiB, count: 80_000, seed: 9, hotFraction: 0.02, hotShare: 0.9, phaseLength: 10_000, writeFraction: 0.25 });
      for (let k = 0; k < 8; k++) sim.testAndClearDirty(BASE + BigInt(k * 8 * MiB + 4096), { flush: k % 2 === 0 });
      sim.split(BASE + BigInt(10 * MiB));
      sim.unmap(BASE + BigInt(70 * MiB), 3 * MiB);
      run(sim, { kind: 'uniform', bytes: 128 * MiB, count: 60_000, seed: 10, writeFraction: 0.4 });
    },
  },
  {
    name: 'champsim, 5 levels, 4 KiB-only TLBs smashing 2 MiB pages, pointer chase',
    options: { preset: 'champsim', nested: false },
    drive: (sim) => {
      sim.map(BASE, 64 * MiB, '4k');
      sim.map(BASE + BigInt(64 * MiB), 64 * MiB, '2m');
      run(sim, { kind: 'chase', bytes: 128 * MiB, count: 80_000, seed: 12 });
      run(sim, { kind: 'sequential', bytes: 128 * MiB, count: 40_000, granule: 64, writeFraction: 1 });
    },
  },
  {
    name: 'zen2 nested with 2 MiB host pages, JS batches with per-access write flags, 1 GiB smashing',
    options: { preset: 'zen2', nested: { enabled: true, hostPageSize: '2m' } },
    drive: (sim) => {
      sim.map(BASE, GiB, '1g');
      sim.map(BASE + BigInt(GiB), 128 * MiB, '4k');
      const vas = batch(GiB + 128 * MiB, 50_000, 77);
      const writes = new Uint8Array(vas.length).map((_, i) => (i % 3 === 0 ? 1 : 0));
      sim.access(vas, writes);
      sim.access(Float64Array.from(batch(GiB + 128 * MiB, 20_000, 78), Number), true);
    },
  },
  {
    name: 'custom shapes: wide fully associative L1, PDE cache and page-table cache (hash-indexed), uniform with unmapped holes',
    options: {
      nested: false,
      overrides: {
        l1: [{ entries: 128, ways: 0, sizes: ['4k', '2m'] }],
        l2: [{ entries: 512, ways: 0, sizes: ['4k', '2m'] }],
        walkCaches: { pde: { entries: 40, ways: 0 }, pdpte: { entries: 24, ways: 0 } },
        pageTableCache: { entries: 300, ways: 0 },
      },
    },
    drive: (sim) => {
      sim.map(BASE, 32 * MiB, '4k');
      sim.map(BASE + BigInt(48 * MiB), 16 * MiB, '2m');
      run(sim, { kind: 'uniform', bytes: 64 * MiB, count: 60_000, seed: 21, writeFraction: 0.3 });
      sim.unmap(BASE + BigInt(MiB), 5 * MiB);
      run(sim, { kind: 'zipf', bytes: 64 * MiB, count: 40_000, seed: 22, theta: 1.1 });
    },
  },
];

/** Runs one scenario on a fresh simulator. */
export function runScenario(s: Scenario): PinnedResult {
  const sim = new TlbSimulator(s.options);
  s.drive(sim);
  const stats = sim.stats();
  let bits = '';
  for (let k = 0; k < 64; k++) {
    const addr = BASE + BigInt(k) * 1_048_573n * 8n;
    if (!sim.lookup(addr)) continue;
    bits += (sim.testAndClearAccessed(addr) ? '1' : '0') + (sim.testAndClearDirty(addr) ? '1' : '0');
  }
  return { stats, bits };
}
