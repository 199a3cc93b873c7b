// The ranges a source's probe() takes: any object with `start` and `end` addresses, so that a
// monitor region or a tuner's tried region is probed as it is (docs/conventions.md: addresses
// go in as bigints, or numbers below 2^53). The addon reads numbers: user-space addresses stay
// below 2^48.
import type { Address } from '../validation/schemas.js';
import type { NativeRange } from '../monitor/native.js';

export interface ProbeRange {
  start: Address;
  end: Address;
}

export function toNativeProbeRanges(ranges: readonly ProbeRange[]): NativeRange[] {
  return ranges.map((r): NativeRange => [Number(r.start), Number(r.end)]);
}
