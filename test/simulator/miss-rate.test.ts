// Uniform random access over W bytes misses the last-level TLB with probability
// max(0, 1 - reach/W) (each access is an independent draw; an entry covers reach/W of the accesses), for every preset and page size, W from reach/4 to
// 64 x reach. Reach = entries of the array that holds (or smashes) the size x the stored size.
// When L1 stores the size as L2 does, L1's recent entries are also in L2 and the L2 reach
// decides. When L1 keeps it at a size L2 smashes (1 GiB on Zen and Haswell: L1 holds 1 GiB
// entries, L2 only 2 MiB pieces), the two levels hold independent random subsets and a walk
// happens only when both miss: (1 - r1/W)+ x (1 - r2/W)+.
import { describe, expect, it } from 'vitest';
import { PAGE_SIZES, TlbSimulator, presetConfig, presetNames, type MachineConfig, type PageSize } from '../../lib/index.js';

const BYTES: Record<PageSize, number> = { '4k': 4096, '2m': 2 ** 21, '1g': 2 ** 30 };
const BASE = 1n << 40n;

/** The size a level stores a translation of `size` as (smashing) and the bytes its entries cover. */
function coverage(level: MachineConfig['l1'], size: PageSize): { stored: PageSize; reach: number } {
  for (let k = PAGE_SIZES.indexOf(size); k >= 0; k--) {
    const stored = PAGE_SIZES[k] as PageSize;
    const array = level.find((a) => a.sizes.includes(stored) && a.entries > 0);
    if (array) return { stored, reach: array.entries * BYTES[stored] };
  }
  return { stored: '4k', reach: 0 };
}

function expectedMissRate(config: MachineConfig, size: PageSize, bytes: number): number {
  const l1 = coverage(config.l1, size);
  const l2 = coverage(config.l2, size);
  const miss = (reach: number): number => Math.max(0, 1 - reach / bytes);
  return l1.stored === l2.stored ? miss(Math.max(l1.reach, l2.reach)) : miss(l1.reach) * miss(l2.reach);
}

function measuredMissRate(preset: string, size: PageSize, bytes: number): number {
  const sim = new TlbSimulator({ preset, nested: false });
  sim.map(BASE, bytes, size);
  const entries = sim.config.l2.reduce((n, a) => n + a.entries, 0);
  const workload = { kind: 'uniform' as const, base: BASE, bytes, granule: 64, seed: 7 };
  sim.runSync({ ...workload, count: 20 * entries });
  sim.clearCounters();
  const s = sim.runSync({ ...workload, count: 60_000, seed: 8 });
  return s.l2.totalMisses / s.accesses;
}

describe('last-level miss rate of uniform random access', () => {
  for (const preset of presetNames()) {
    const config = presetConfig(preset) as MachineConfig;
    for (const size of PAGE_SIZES) {
      const reach = coverage(config.l2, size).reach;
      it(`${preset} ${size} pages (L2 reach ${reach / 2 ** 20} MiB) within 2 points of the analytic miss rate`, () => {
        for (const factor of [0.25, 1, 4, 64]) {
          // Whole pages, and no more than the 48-bit address space above BASE.
          const bytes = Math.max(BYTES[size], Math.round((reach * factor) / BYTES[size]) * BYTES[size]);
          const expected = expectedMissRate(config, size, bytes);
          const got = measuredMissRate(preset, size, bytes);
          expect(Math.abs(got - expected), `W=${factor}x reach: got ${got}, expected ${expected}`).toBeLessThan(0.02);
        }
      });
    }
  }
});
