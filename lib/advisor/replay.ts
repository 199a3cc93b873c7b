// Replays an access distribution through the TLB simulator: random 8-byte accesses, each to a
// unit drawn by its weight and a uniform offset in it, over the same stream of addresses for
// every page layout, so the layouts differ only in their page sizes.
import { TlbSimulator } from '../simulator/simulator.js';
import type { SimStats, TlbSimulatorOptions } from '../simulator/types.js';
import { UNIT_BYTES } from '../report/units.js';
import type { UnitAccess } from './distribution.js';

export interface ReplayOptions {
  machine: TlbSimulatorOptions;
  /** Accesses simulated before the counters start (TLBs and caches warm). */
  warmupAccesses: number;
  accesses: number;
  seed: number;
}

const BATCH = 65_536;

/** mulberry32: a small seeded generator, the same stream for every layout. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fills `batch` with addresses: unit by cumulative weight (binary search), then an aligned offset. */
function fill(batch: Float64Array, units: readonly UnitAccess[], cumulative: Float64Array, random: () => number): void {
  const total = cumulative[cumulative.length - 1] ?? 0;
  for (let i = 0; i < batch.length; i++) {
    const x = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] ?? 0) > x) hi = mid;
      else lo = mid + 1;
    }
    batch[i] = units[lo]!.address + Math.floor(random() * (UNIT_BYTES / 8)) * 8;
  }
}

/**
 * Simulates the accessed units (weight > 0) with the units in `huge` on 2 MiB pages and the
 * rest on 4 KiB pages; yields to the event loop between batches.
 */
export async function replay(units: readonly UnitAccess[], huge: (u: UnitAccess) => boolean, options: ReplayOptions): Promise<SimStats> {
  const accessed = units.filter((u) => u.weight > 0);
  const sim = new TlbSimulator(options.machine);
  // Runs of consecutive units with one page size are mapped together.
  let i = 0;
  while (i < units.length) {
    const u = units[i]!;
    let j = i + 1;
    while (j < units.length && units[j]!.address === units[j - 1]!.address + UNIT_BYTES && huge(units[j]!) === huge(u)) j++;
    sim.map(u.address, (j - i) * UNIT_BYTES, huge(u) ? '2m' : '4k');
    i = j;
  }
  const cumulative = new Float64Array(accessed.length);
  accessed.reduce((sum, u, k) => (cumulative[k] = sum + u.weight), 0);
  const random = generator(options.seed);
  const batch = new Float64Array(BATCH);
  for (const [count, counting] of [
    [options.warmupAccesses, false],
    [options.accesses, true],
  ] as const) {
    if (counting) sim.clearCounters();
    for (let done = 0; done < count; done += BATCH) {
      const part = count - done >= BATCH ? batch : batch.subarray(0, count - done);
      fill(part, accessed, cumulative, random);
      sim.access(part);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return sim.stats();
}
