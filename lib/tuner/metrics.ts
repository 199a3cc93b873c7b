// Current values of quota-goal metrics (Documentation/mm/damon/design.rst, "Aim-oriented Feedback-driven Auto-tuning"), read off the JS thread at each
// window reset, and the free-memory rate of the watermarks (design.rst "Watermarks").
import { readFile } from 'node:fs/promises';
import { readMemoryPressure, readMeminfo } from '../procfs/system.js';
import type { Goal } from '../quota/goals.js';
import { freeMemRate } from '../quota/watermarks.js';
import type { TunerBackend } from './backend.js';

/** "Node 0 MemTotal:  123 kB" lines of /sys/devices/system/node/node<N>/meminfo. */
export function parseNodeMeminfo(text: string): { totalBytes: number; freeBytes: number } {
  const field = (name: string) => Number(new RegExp(`\\b${name}:\\s+(\\d+)\\s*kB`).exec(text)?.[1] ?? NaN) * 1024;
  return { totalBytes: field('MemTotal'), freeBytes: field('MemFree') };
}

export class GoalMetrics {
  readonly #backend: TunerBackend;
  /** The value of the `user_input` metric: what feedback() was last given. */
  userInput = 0;
  #lastPsiTotal: number | null = null;

  constructor(backend: TunerBackend) {
    this.#backend = backend;
  }

  async current(goal: Goal): Promise<number> {
    switch (goal.metric) {
      case 'user_input':
        return this.userInput;
      case 'hugepage_mem_bp': {
        const u = await this.#backend.usage(goal.scope ?? 'process');
        return u.anonymousBytes > 0 ? Math.min(10_000, Math.floor((u.anonHugeBytes * 10_000) / u.anonymousBytes)) : 0;
      }
      case 'some_mem_psi_us': {
        // The stall time since the previous window; the first window counts from the tuner's first read
        // (the kernel starts from 0 and so sees all stalls since boot in its first window).
        const total = (await readMemoryPressure()).some?.totalMicros ?? 0;
        const delta = this.#lastPsiTotal === null ? 0 : Math.max(0, total - this.#lastPsiTotal);
        this.#lastPsiTotal = total;
        return delta;
      }
      case 'node_mem_used_bp':
      case 'node_mem_free_bp': {
        let node: { totalBytes: number; freeBytes: number };
        try {
          node = parseNodeMeminfo(await readFile(`/sys/devices/system/node/node${goal.nid ?? 0}/meminfo`, 'utf8'));
        } catch {
          node = { totalBytes: NaN, freeBytes: NaN };
        }
        // An invalid node counts as fully free, as in the kernel.
        if (!(node.totalBytes > 0)) return goal.metric === 'node_mem_used_bp' ? 0 : 10_000;
        const part = goal.metric === 'node_mem_free_bp' ? node.freeBytes : node.totalBytes - node.freeBytes;
        return Math.floor((part * 10_000) / node.totalBytes);
      }
    }
  }
}

/** free_mem_rate now, per mille. */
export async function readFreeMemRate(): Promise<number> {
  const m = await readMeminfo();
  return freeMemRate(m.bytes['MemFree'] ?? 0, m.bytes['MemTotal'] ?? 0);
}
