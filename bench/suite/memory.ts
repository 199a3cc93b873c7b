// Memory for the suite's workloads, allocated the way a Node program allocates a large buffer
// (`new ArrayBuffer`: glibc malloc, which maps large chunks with mmap), so that every
// configuration acts on it as it would on a service's memory: THP=always at page fault,
// GLIBC_TUNABLES=glibc.malloc.hugetlb=1 through glibc's MADV_HUGEPAGE on its chunks, the
// tuners through MADV_COLLAPSE of the whole aligned 2 MiB units inside the mapping.
import { addressOf, madvise } from '../../lib/memory/index.js';
import type { HotRange } from './workload.js';

const PAGE = 4096;

/**
 * Set by the child process before setup when THP=always cannot be set in sysfs (no root): the
 * stand-in then advises MADV_HUGEPAGE on each buffer before it is touched, which puts it on
 * huge pages at fault as THP=always would (memory not allocated here is not covered).
 */
let hugepageBeforeTouch = false;

export function setHugepageBeforeTouch(on: boolean): void {
  hugepageBeforeTouch = on;
}

/** The page-aligned interior of a buffer: madvise(2) takes page-aligned ranges, and malloc's chunk starts 16 bytes into a page. */
function pageAlignedRange(buffer: ArrayBuffer): HotRange {
  const start = addressOf(buffer);
  const first = (start + BigInt(PAGE - 1)) & ~BigInt(PAGE - 1);
  const length = Math.floor((buffer.byteLength - Number(first - start)) / PAGE) * PAGE;
  return { address: first, length };
}

/** A zero-filled buffer of `bytes`, not yet touched (no page is resident until written). */
export async function allocate(bytes: number): Promise<ArrayBuffer> {
  const buffer = new ArrayBuffer(bytes);
  if (hugepageBeforeTouch) await madvise(pageAlignedRange(buffer), 'hugepage');
  return buffer;
}

/**
 * Writes one word in every `every`-th 4 KiB page of `words` (1: every page). Pages are made
 * resident here rather than by MADV_POPULATE_WRITE: in this project's VMs a 4 KiB page's first
 * access after populate still costs about 20 us (the hypervisor backs it then), which would
 * land in the measured phase instead of in setup.
 */
export function touchPages(words: Uint32Array, every = 1, value = 1): void {
  const wordsPerPage = PAGE / 4;
  for (let i = 0; i < words.length; i += wordsPerPage * every) words[i] = value;
}

/** The address range of `length` bytes at `offset` into `buffer`. */
export function rangeIn(buffer: ArrayBuffer, offset: number, length: number): HotRange {
  return { address: addressOf(buffer) + BigInt(offset), length };
}
