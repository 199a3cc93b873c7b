// Huge-page-eligible memory for users, tests and benchmarks.
import { InvalidArgumentError } from '../errors.js';
import { callLinuxSync } from '../native/call.js';

/** V8's largest ArrayBuffer on 64-bit Node 20 (2^53 - 1 in theory; mmap limits far below). */
const MAX_BYTES = Number.MAX_SAFE_INTEGER;

/**
 * A new anonymous private mapping of `bytes`, aligned to the huge-page size (2 MiB on x86-64),
 * exposed as an ArrayBuffer. Pages are allocated on first touch (MAP_NORESERVE) and start as
 * zeroes; the mapping is unmapped when the ArrayBuffer is garbage-collected. Linux only.
 */
export function allocAligned(bytes: number): ArrayBuffer {
  if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < 1 || bytes > MAX_BYTES) {
    throw new InvalidArgumentError('bytes', 'an integer from 1 to Number.MAX_SAFE_INTEGER', bytes);
  }
  return callLinuxSync('allocAligned', {}, (native) => native.memory.allocAligned(bytes));
}
