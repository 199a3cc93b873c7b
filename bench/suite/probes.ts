// What the child reads about itself around the workload: CPU of its threads, the kernel's THP
// split counter, its resident and huge memory, and how much of the hot set is on 2 MiB pages.
import { residency } from '../../lib/memory/index.js';
import { readSmapsRollup, readVmstat } from '../../lib/procfs/index.js';
import { MAIN_THREAD, threadIds, threadUsage } from '../common/thread-usage.js';
import type { HotRange } from './workload.js';

/** CPU nanoseconds of every thread but the main one, by thread id. */
export function otherThreadsCpu(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of threadIds()) {
    if (tid === MAIN_THREAD) continue;
    try {
      out.set(tid, threadUsage(tid).cpuNs);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

/** CPU ns the other threads used since `before` (threads started since count from zero; ended ones are lost). */
export function otherThreadsCpuSince(before: Map<number, number>): number {
  let ns = 0;
  for (const [tid, cpu] of otherThreadsCpu()) ns += cpu - (before.get(tid) ?? 0);
  return ns;
}

/**
 * thp_split_pmd of /proc/vmstat: huge pages split back into 4 KiB mappings, machine-wide (the
 * kernel keeps no per-process count; other processes' splits land here too).
 */
export async function splitPmdCount(): Promise<number | null> {
  return (await readVmstat()).thp['thp_split_pmd'] ?? null;
}

export async function memoryFigures(): Promise<{ rssBytes: number; anonHugeBytes: number }> {
  const r = await readSmapsRollup();
  return { rssBytes: r.rss, anonHugeBytes: r.anonHugePages };
}

const UNIT = 2n ** 21n;

/** Whole 2 MiB units of the ranges, and how many of them one PMD maps (a range holding no whole unit counts none). */
export async function hugeUnits(ranges: readonly HotRange[]): Promise<{ units: number; huge: number }> {
  let units = 0;
  let huge = 0;
  for (const range of ranges) {
    if (((range.address + UNIT - 1n) / UNIT + 1n) * UNIT > range.address + BigInt(range.length)) continue;
    for (const u of await residency(range)) {
      units += u.units;
      if (u.pmdMapped) huge += u.units;
    }
  }
  return { units, huge };
}
