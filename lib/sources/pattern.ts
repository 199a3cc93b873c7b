// A seeded synthetic access pattern (native/sources/pattern/): pages in hot ranges are
// touched with a given probability per sampling interval, nothing else ever. For tests and
// demonstrations; it has no kernel counterpart (the kernel's own sanity tests,
// mm/damon/tests/, drive the region logic with fixed inputs instead).
import { nativeBinding } from '../native/binding.js';
import { Type, type Static } from '@sinclair/typebox';
import { AddressRangeSchema, HotRangeSchema, toNativeHotRanges, toNativeRanges, type AddressRangeOption } from '../monitor/options.js';
import { Strict } from '../validation/schemas.js';
import { validate } from '../validation/validate.js';
import type { NativePatternSource } from './native.js';
import { AccessSource } from './source.js';

const PatternSourceSchema = Strict({
  /** What the source reports as the address space's mappings (for targets without ranges). */
  mappings: Type.Optional(Type.Array(AddressRangeSchema)),
  hot: Type.Optional(Type.Array(HotRangeSchema)),
});
/** @useDeclaredType */
export type PatternSourceOptions = Static<typeof PatternSourceSchema>;

/**
 * A hot range, its pages touched with `probability` (a ratio, default 1) per sampling interval.
 *
 * @useDeclaredType
 */
export type PatternHotRange = Static<typeof HotRangeSchema>;

export class PatternSource extends AccessSource {
  readonly signal = 'access';
  readonly #native: NativePatternSource;

  constructor(raw: PatternSourceOptions = {}) {
    const options = validate(PatternSourceSchema, raw, 'source');
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
