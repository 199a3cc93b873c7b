// Random 8-byte reads over a buffer, timed: the access pattern whose cost is dominated by
// TLB misses once the buffer is much larger than the TLB's reach (GUPS-like: independent
// reads, so the CPU overlaps their misses as a real program's would).
import { InvalidArgumentError } from '../errors.js';

export interface RandomReadOptions {
  /** Reads to time (default 20 million). */
  accesses?: number;
  /** xorshift32 seed, so two runs read the same addresses (default 1). */
  seed?: number;
}

export interface RandomReadResult {
  accesses: number;
  elapsedMs: number;
  nsPerAccess: number;
  /** Sum of the values read, returned so the reads cannot be optimized away. */
  sink: number;
}

const MAX_ACCESSES = 2 ** 40;

/**
 * Times `accesses` random aligned 8-byte reads over `buffer` (or its segments) on the calling thread (it blocks
 * for the whole measurement: use it in benchmarks and tools, not in a server's event loop).
 * The buffer's pages should be populated first, or reads map the shared zero page.
 */
export function timeRandomReads(buffer: ArrayBuffer | readonly ArrayBuffer[], options: RandomReadOptions = {}): RandomReadResult {
  const accesses = options.accesses ?? 20_000_000;
  const seed = options.seed ?? 1;
  const segments = buffer instanceof ArrayBuffer ? [buffer] : buffer;
  if (!Array.isArray(segments) || segments.length === 0 || !segments.every((s) => s instanceof ArrayBuffer && s.byteLength >= 8)) {
    throw new InvalidArgumentError('buffer', 'an ArrayBuffer of at least 8 bytes, or a non-empty array of them', buffer);
  }
  if (!Number.isInteger(accesses) || accesses < 1 || accesses > MAX_ACCESSES) {
    throw new InvalidArgumentError('options.accesses', 'an integer from 1 to 2 ** 40', accesses);
  }
  if (!Number.isInteger(seed) || seed < 1 || seed > 0xffffffff) {
    throw new InvalidArgumentError('options.seed', 'an integer from 1 to 2 ** 32 - 1', seed);
  }
  // Segments (from allocAlignedSegments) are read as one array: all but the last have the
  // same length, so a slot number splits into segment and offset.
  const views = segments.map((s) => new Float64Array(s, 0, Math.floor(s.byteLength / 8)));
  const perSegment = views[0]!.length;
  const count = views.reduce((sum, v) => sum + v.length, 0);
  const read = count > 1 && isPowerOfTwo(count) && isPowerOfTwo(perSegment) ? powerOfTwoReader(views, count, perSegment) : generalReader(views, count, perSegment);
  let x = seed;
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < accesses; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    sink += read(x >>> 0);
  }
  const elapsedNs = Number(process.hrtime.bigint() - start);
  return { accesses, elapsedMs: elapsedNs / 1e6, nsPerAccess: elapsedNs / accesses, sink };
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}

// Slot from the top bits of the 32-bit random state: shifts and masks only, so the loop's
// own cost stays small next to a TLB miss. Used for power-of-two sizes (1, 4, 16 GiB ...).
function powerOfTwoReader(views: Float64Array[], count: number, perSegment: number): (random: number) => number {
  const slotBits = Math.log2(count);
  const segmentBits = Math.log2(perSegment);
  const mask = perSegment - 1;
  if (slotBits > 32) throw new InvalidArgumentError('buffer', 'at most 2 ** 32 8-byte slots (32 GiB)', count * 8);
  const shift = 32 - slotBits;
  if (views.length === 1) {
    const only = views[0]!;
    return (random) => only[random >>> shift]!;
  }
  return (random) => {
    const slot = random >>> shift;
    return views[slot >>> segmentBits]![slot & mask]!;
  };
}

// Any size: multiply-shift maps the random state onto [0, count).
function generalReader(views: Float64Array[], count: number, perSegment: number): (random: number) => number {
  return (random) => {
    const slot = Math.floor((random / 4294967296) * count);
    const segment = Math.floor(slot / perSegment);
    return views[segment]![slot - segment * perSegment]!;
  };
}
