// This process's own memory (native/sources/pagemap/), without privileges (Linux 6.7 or
// later): userfaultfd write-protection in asynchronous mode plus PAGEMAP_SCAN, in the roles of
// the `vaddr` operations' prepare_access_checks (protect the sampling page) and check_accesses
// (was it written since) callbacks. It sees WRITES ONLY, and only in anonymous private
// writable mappings, which it registers at start and every ops update (the operations'
// `update` callback) and unregisters at stop. Its methods are safe while the monitor runs.
import { SystemCallError } from '../errors.js';
import { resolveRange, type MemoryRange } from '../memory/range.js';
import { linuxBinding } from '../native/binding.js';
import type { NativePagemapSource } from './native.js';
import { toNativeProbeRanges, type ProbeRange } from './probe-range.js';
import { AccessSource, createNative } from './source.js';

const FEATURE = 'pagemap access source';

export class PagemapSource extends AccessSource {
  readonly signal = 'write';
  readonly #native: NativePagemapSource;

  constructor() {
    const native = createNative(FEATURE, () => new (linuxBinding(FEATURE).PagemapSource)());
    super({ native, kernel: false });
    this.#native = native;
  }

  /**
   * Clears write-protection on a range (a buffer or {address, length}). Call it before
   * collapsing monitored memory: MADV_COLLAPSE fails with EINVAL over userfaultfd
   * write-protect markers.
   */
  unprotect(range: MemoryRange): void {
    const { address, length } = resolveRange(range);
    const start = Number(address);
    try {
      this.#native.unprotect([[start, start + length]]);
    } catch (e) {
      const err = e as Error & { errno?: string; syscall?: string };
      if (err.errno) throw new SystemCallError(err.syscall ?? 'UFFDIO_WRITEPROTECT', err.errno, err.message);
      throw e;
    }
  }

  /**
   * Whether sampling write-protects PMD-mapped huge pages (default true). A write to a
   * write-protected huge page splits it (WP_ASYNC, mm/memory.c wp_huge_pmd), so a tuner
   * keeping hot memory huge turns this off; huge pages then read as written.
   */
  sampleHugePages(on: boolean): void {
    this.#native.setProtectHuge(on);
  }

  /**
   * While paused, sampling write-protects nothing and a page sampled then counts as not
   * written (pages protected before are checked as usual). Pause around unprotect + collapse
   * so the sampler cannot protect a page of the unit in between.
   */
  pauseSampling(paused: boolean): void {
    this.#native.setPaused(paused);
  }

  /**
   * Per range, its 4 KiB pages written since each was last protected, protecting them again
   * so the next probe counts the writes in between; pages never protected read as written.
   * PMD-mapped pages are not protected (a write would split them). null where no write can
   * be seen (outside registered mappings, or stopped). The scan runs off the JS thread.
   */
  async probe(ranges: readonly ProbeRange[]): Promise<(number | null)[]> {
    const pages = await this.#native.probe(toNativeProbeRanges(ranges));
    return pages.map((n) => (n < 0 ? null : n));
  }

  /** Bytes of mappings registered with userfaultfd now (0 when stopped). */
  registeredBytes(): number {
    return this.#native.registeredBytes();
  }
}
