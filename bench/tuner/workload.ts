// The tuner benchmark's workload, shared by its child (child.ts) and the advisor benchmark
// (bench/advisor): the memory (a hot set, a cold set touched once, sparse memory) and the
// sliced random-write or read-only loop over the hot set.
import { allocAligned, madvise } from '../../lib/memory/index.js';

const GiB = 2 ** 30;
const PAGE = 4096;
const SPARSE_EVERY = 8; // one page in 8 touched: 12.5% resident, the THP=always bloat case

export type Access = 'write' | 'read';

/** The loop's xorshift state and the reads' running sum (kept so that they cannot be optimised away). */
export interface LoopState {
  x: number;
  sum: number;
}

export function loopState(): LoopState {
  return { x: 0x9e3779b9, sum: 0 };
}

/**
 * Writes one word in every 4 KiB page. MADV_POPULATE_WRITE maps the pages, but in this
 * project's VMs the hypervisor backs a page only at the first access from the CPU, which costs
 * 16-27 us (docs/measured-facts.md): a loop started right after populating runs 100x slower on
 * 4 KiB pages for seconds per GiB, and a measurement or recording made then is of the
 * hypervisor, not of the TLB. Every configuration pays this once, before anything is timed.
 */
export function touchPages(buffer: ArrayBuffer): void {
  const u32 = new Uint32Array(buffer);
  for (let i = 0; i < u32.length; i += PAGE / 4) u32[i] = (u32[i]! + 1) >>> 0;
}

/**
 * The workload's memory on 4 KiB pages (`small`) or with THP=always's advice (`huge`): the hot
 * and cold sets populated and touched, the sparse set one page in 8. With `small`, MADV_HUGEPAGE
 * is given back afterwards so that the tuner (and the recorder, which watches only what can
 * hold huge pages) may work on it: THP=madvise leaves populated pages on 4 KiB pages.
 */
export async function buildMemory(pages: 'small' | 'huge', hotGiB: number, coldGiB: number, sparseGiB: number): Promise<{ hot: ArrayBuffer; cold: ArrayBuffer; sparse: ArrayBuffer }> {
  const hot = allocAligned(hotGiB * GiB);
  const cold = allocAligned(coldGiB * GiB);
  const sparse = allocAligned(sparseGiB * GiB);
  for (const b of [hot, cold, sparse]) await madvise(b, pages === 'huge' ? 'hugepage' : 'nohugepage');
  for (const b of [hot, cold]) {
    await madvise(b, 'populate-write');
    touchPages(b);
  }
  const s8 = new Uint8Array(sparse);
  for (let p = 0; p < s8.length / PAGE; p += SPARSE_EVERY) s8[p * PAGE] = 1;
  if (pages === 'small') for (const b of [hot, cold, sparse]) await madvise(b, 'hugepage');
  return { hot, cold, sparse };
}

/**
 * Random 32-bit writes (increments) or reads over a power-of-two-sized buffer for `ms`, then
 * returns the count. The reads' sum goes to `st.sum`.
 */
export function work(u32: Uint32Array, ms: number, st: LoopState, access: Access): number {
  const end = performance.now() + ms;
  const mask = u32.length - 1;
  const reads = access === 'read';
  let x = st.x;
  let sum = 0;
  let n = 0;
  for (;;) {
    for (let i = 0; i < 4096; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      if (reads) sum += u32[x & mask]!;
      else u32[x & mask] = (u32[x & mask]! + 1) >>> 0;
    }
    n += 4096;
    if (performance.now() >= end) break;
  }
  st.x = x;
  st.sum = (st.sum + sum) >>> 0;
  return n;
}

/** Runs the workload in 5 ms slices, yielding to the event loop between them (as a service would), for `seconds`. */
export async function run(u32: Uint32Array, seconds: number, st: LoopState, access: Access, onSecond?: (n: number) => Promise<void>): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let next = performance.now() + 1000;
  let n = 0;
  while (performance.now() < end) {
    n += work(u32, 5, st, access);
    await new Promise((r) => setImmediate(r));
    if (onSecond && performance.now() >= next) {
      next += 1000;
      await onSecond(n);
    }
  }
  return n;
}
