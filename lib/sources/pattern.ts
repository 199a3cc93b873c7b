// A seeded synthetic access pattern (native/sources/pattern/): pages in hot ranges are
// touched with a given probability per sampling interval, nothing else ever. For tests and
// demonstrations; it has no kernel counterpart (the kernel's own sanity tests,
// mm/damon/tests/, drive the region logic with fixed inputs instead).
import { nativeBinding } from '../native/binding.js';
import { toNativeHotRanges, toNativeRanges, type AddressRangeOption } from '../monitor/options.js';
import type { NativePatternSource } from './native.js';
import { AccessSource } from './source.js';

export interface PatternSourceOptions {
  /** What the source reports as the address space's mappings (for targets without ranges). */
  mappings?: AddressRangeOption[];
  hot?: PatternHotRange[];
}

/** A hot range, its pages touched with `probability` (0..1, default 1) per sampling interval. */
export type PatternHotRange = AddressRangeOption & { probability?: number };

export class PatternSource extends AccessSource {
  readonly signal = 'access';
  readonly #native: NativePatternSource;

  constructor(options: PatternSourceOptions = {}) {
    const native = new (nativeBinding().PatternSource)(toNativeRanges('source.mappings', options.mappings ?? []), toNativeHotRanges(options.hot ?? [], 'source.hot'));
    super({ native, kernel: false });
    this.#native = native;
  }

  /** Replaces the hot ranges (not while the monitor's thread runs). */
  setHotRanges(hot: PatternHotRange[]): void {
    this.#native.setHotRanges(toNativeHotRanges(hot));
  }

  /**
   * Replaces the mappings it reports, as a process maps and unmaps memory; the monitor reads
   * them at its next ops update, as DAMON's vaddr operations read the VMAs in their `update`
   * callback. Not while the monitor's thread runs.
   */
  setMappings(mappings: AddressRangeOption[]): void {
    this.#native.setMappings(toNativeRanges('mappings', mappings));
  }
}
