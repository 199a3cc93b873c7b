// Address ranges: the backing memory of an ArrayBuffer or typed-array view, or an explicit
// address and length (for memory the caller knows by address, e.g. in another process).
import { InvalidArgumentError } from '../errors.js';
import { callLinuxSync } from '../native/call.js';
import { pageGeometry } from './geometry.js';

/**
 * Memory to operate on: a buffer's backing memory, an address and a byte length, or
 * [start, end): any object with bigint `start` and `end`, so that a monitor region or a
 * tuner's tried region is a range as it is (its other fields are not read).
 */
export type MemoryRange = ArrayBuffer | ArrayBufferView | { address: bigint; length: number } | { start: bigint; end: bigint };

export interface ResolvedRange {
  address: bigint;
  length: number;
}

/**
 * One past the highest user-space address: 2^47 on x86-64 with 4-level paging (the kernel's
 * Documentation/arch/x86/x86_64/mm.rst), 2^48 on arm64 with 48-bit addresses. The addon checks
 * the same bound (native/platform/linux/memory/page_geometry.h). No range reaches past it.
 */
const USER_END_BITS = process.arch === 'x64' ? 47 : 48;
const USER_END = 1n << BigInt(USER_END_BITS);

/** The address of a buffer's first byte in this process (for views, including their offset). */
export function addressOf(buffer: ArrayBuffer | ArrayBufferView): bigint {
  if (!(buffer instanceof ArrayBuffer) && !ArrayBuffer.isView(buffer)) {
    throw new InvalidArgumentError('buffer', 'an ArrayBuffer or a typed-array/DataView view of one', buffer);
  }
  return callLinuxSync('addressOf', {}, (native) => native.memory.addressOf(buffer));
}

/** Validates `range` and returns its address and length. */
export function resolveRange(range: MemoryRange, field = 'range'): ResolvedRange {
  if (range instanceof ArrayBuffer || ArrayBuffer.isView(range)) {
    const length = range.byteLength;
    if (length === 0) throw new InvalidArgumentError(`${field}.byteLength`, 'at least 1', 0);
    return { address: addressOf(range), length };
  }
  if (typeof range !== 'object' || range === null) {
    throw new InvalidArgumentError(field, 'an ArrayBuffer, a typed array, { address: bigint, length: number } or { start: bigint, end: bigint }', range);
  }
  if (!('address' in range) && 'start' in range) return resolveStartEnd(range as { start: unknown; end?: unknown }, field);
  const { address, length } = range as { address: unknown; length: unknown };
  if (typeof address !== 'bigint' || address < 0n || address >= USER_END) {
    throw new InvalidArgumentError(`${field}.address`, `a bigint from 0n to 2n ** ${USER_END_BITS}n - 1n (user space)`, address);
  }
  const room = Number(USER_END - address);
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 1 || length > room) {
    throw new InvalidArgumentError(`${field}.length`, `an integer from 1 to ${room}, so that the range ends within user space (2 ** ${USER_END_BITS})`, length);
  }
  return { address, length };
}

/** [start, end) as an address and a length, both ends within user space. */
function resolveStartEnd(range: { start: unknown; end?: unknown }, field: string): ResolvedRange {
  const { start, end } = range;
  if (typeof start !== 'bigint' || start < 0n || start >= USER_END) {
    throw new InvalidArgumentError(`${field}.start`, `a bigint from 0n to 2n ** ${USER_END_BITS}n - 1n (user space)`, start);
  }
  if (typeof end !== 'bigint' || end <= start || end > USER_END) {
    throw new InvalidArgumentError(`${field}.end`, `a bigint above start (${start}n), at most 2n ** ${USER_END_BITS}n (user space)`, end);
  }
  return { address: start, length: Number(end - start) };
}

/** Like resolveRange, and the start must be page-aligned (madvise(2) requires it). */
export function resolvePageAlignedRange(range: MemoryRange, field = 'range'): ResolvedRange {
  const resolved = resolveRange(range, field);
  const page = BigInt(pageGeometry().basePageSize);
  if (resolved.address % page !== 0n) {
    throw new InvalidArgumentError(
      `${field}.address`,
      `a multiple of the page size ${page} (use allocAligned() for aligned memory)`,
      `0x${resolved.address.toString(16)}`,
    );
  }
  return resolved;
}

/** Like resolveRange, and the range must contain at least one whole aligned huge-page unit. */
export function resolveUnitRange(range: MemoryRange, field = 'range'): ResolvedRange {
  const resolved = resolveRange(range, field);
  const unit = BigInt(pageGeometry().hugePageSize);
  const first = ((resolved.address + unit - 1n) / unit) * unit;
  if (first + unit > resolved.address + BigInt(resolved.length)) {
    throw new InvalidArgumentError(
      field,
      `a range holding at least one whole ${unit / 1024n / 1024n} MiB-aligned unit (use allocAligned() for such memory)`,
      { address: resolved.address, length: resolved.length },
    );
  }
  return resolved;
}
