// Address ranges: the backing memory of an ArrayBuffer or typed-array view, or an explicit
// address and length (for memory the caller knows by address, e.g. in another process).
import { InvalidArgumentError } from '../errors.js';
import { callLinuxSync } from '../native/call.js';
import type { Address } from '../validation/schemas.js';
import { pageGeometry } from './geometry.js';

/**
 * Memory to operate on: a buffer's backing memory, an address and a byte length, or
 * [start, end): any object with `start` and `end`, so that a monitor region or a tuner's
 * tried region is a range as it is (its other fields are not read). Addresses are bigints, or
 * whole numbers below 2^53 (docs/conventions.md).
 */
export type MemoryRange = ArrayBuffer | ArrayBufferView | { address: Address; length: number } | { start: Address; end: Address };

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
    throw new InvalidArgumentError(field, 'an ArrayBuffer, a typed array, { address, length } or { start, end } (addresses as bigints or whole numbers)', range);
  }
  if (!('address' in range) && 'start' in range) return resolveStartEnd(range as { start: unknown; end?: unknown }, field);
  const { length } = range as { length: unknown };
  const address = userAddress(`${field}.address`, (range as { address: unknown }).address);
  const room = Number(USER_END - address);
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 1 || length > room) {
    throw new InvalidArgumentError(`${field}.length`, `an integer from 1 to ${room}, so that the range ends within user space (2 ** ${USER_END_BITS})`, length);
  }
  return { address, length };
}

/** [start, end) as an address and a length, both ends within user space. */
function resolveStartEnd(range: { start: unknown; end?: unknown }, field: string): ResolvedRange {
  const start = userAddress(`${field}.start`, range.start);
  const end = asBigInt(range.end);
  if (end === null || end <= start || end > USER_END) {
    throw new InvalidArgumentError(`${field}.end`, `an address above start (${start}), at most 2 ** ${USER_END_BITS} (user space)`, range.end);
  }
  return { address: start, length: Number(end - start) };
}

/** An address as the API takes it (a bigint, or a whole number below 2^53) as a bigint; null if it is neither. */
function asBigInt(value: unknown): bigint | null {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  return null;
}

/** A user-space address, from 0 to one below USER_END. */
function userAddress(field: string, value: unknown): bigint {
  const address = asBigInt(value);
  if (address === null || address < 0n || address >= USER_END) {
    throw new InvalidArgumentError(field, `an address from 0 to 2 ** ${USER_END_BITS} - 1 (user space; a bigint, or a whole number)`, value);
  }
  return address;
}

/** Like resolveRange, and the start must be page-aligned (madvise(2) requires it). */
export function resolvePageAlignedRange(range: MemoryRange, field = 'range'): ResolvedRange {
  const resolved = resolveRange(range, field);
  const page = BigInt(pageGeometry().basePageSize);
  if (resolved.address % page !== 0n) {
    throw new InvalidArgumentError(`${field}.address`, `a multiple of the page size ${page} (use allocAligned() for aligned memory)`, `0x${resolved.address.toString(16)}`);
  }
  return resolved;
}

/** Like resolveRange, and the range must contain at least one whole aligned huge-page unit. */
export function resolveUnitRange(range: MemoryRange, field = 'range'): ResolvedRange {
  const resolved = resolveRange(range, field);
  const unit = BigInt(pageGeometry().hugePageSize);
  const first = ((resolved.address + unit - 1n) / unit) * unit;
  if (first + unit > resolved.address + BigInt(resolved.length)) {
    throw new InvalidArgumentError(field, `a range holding at least one whole ${unit / 1024n / 1024n} MiB-aligned unit (use allocAligned() for such memory)`, {
      address: resolved.address,
      length: resolved.length,
    });
  }
  return resolved;
}
