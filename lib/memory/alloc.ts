// Huge-page-eligible memory for users, tests and benchmarks.
import { constants } from 'node:buffer';
import { InvalidArgumentError } from '../errors.js';
import { callLinuxSync } from '../native/call.js';
import { pageGeometry } from './geometry.js';

/** The largest mapping allocAlignedSegments makes: 2^47, the x86-64 user address space. */
const MAX_TOTAL = 2 ** 47;

/**
 * A new anonymous private mapping of `bytes`, aligned to the huge-page size (2 MiB on x86-64),
 * exposed as an ArrayBuffer. Pages are allocated on first touch (MAP_NORESERVE) and read as
 * zeroes until written; the mapping is unmapped when the ArrayBuffer is garbage-collected.
 * At most `buffer.constants.MAX_LENGTH` bytes (4 GiB on Node 20), the largest ArrayBuffer
 * Node can wrap around external memory; allocAlignedSegments() maps more. Linux only.
 */
export function allocAligned(bytes: number): ArrayBuffer {
  if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < 1 || bytes > constants.MAX_LENGTH) {
    throw new InvalidArgumentError('bytes', `an integer from 1 to ${constants.MAX_LENGTH} (buffer.constants.MAX_LENGTH; use allocAlignedSegments for more)`, bytes);
  }
  return callLinuxSync('allocAligned', {}, (native) => native.memory.allocAlignedSegments(bytes, bytes, constants.MAX_LENGTH))[0]!;
}

/**
 * One aligned mapping of `bytes`, larger than one ArrayBuffer may be, exposed as consecutive
 * ArrayBuffers of `segmentBytes` each (default: the largest multiple of the huge-page size
 * an ArrayBuffer can hold; the last segment may be shorter). Each segment is unmapped when
 * it is collected. Linux only.
 */
export function allocAlignedSegments(bytes: number, segmentBytes?: number): ArrayBuffer[] {
  if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < 1 || bytes > MAX_TOTAL) {
    throw new InvalidArgumentError('bytes', 'an integer from 1 to 2 ** 47', bytes);
  }
  const unit = pageGeometry().hugePageSize;
  const largest = Math.floor(constants.MAX_LENGTH / unit) * unit;
  const segment = segmentBytes ?? largest;
  if (!Number.isInteger(segment) || segment < unit || segment > largest || segment % unit !== 0) {
    throw new InvalidArgumentError('segmentBytes', `a multiple of ${unit} from ${unit} to ${largest}`, segmentBytes);
  }
  return callLinuxSync('allocAlignedSegments', {}, (native) => native.memory.allocAlignedSegments(bytes, segment, constants.MAX_LENGTH));
}
