// Every kind of bad input to the memory operations gets a typed error naming the field and
// the allowed values; nothing crashes and no memory changes.
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NoSuchProcessError, NotMappedError } from '../../lib/errors.js';
import { addressOf, allocAligned, allocAlignedSegments, collapse, madvise, residency } from '../../lib/memory/index.js';
import { rejection } from '../helpers/rejection.js';
import { unusedPid } from '../helpers/processes.js';
import { unmappedRange } from '../helpers/smaps-oracle.js';

const MiB = 1024 * 1024;

describe('allocAligned', () => {
  it.each([0, -1, 1.5, Number.NaN, 2 ** 32 + 1, '4096'])('rejects %s bytes', (bytes) => {
    expect(() => allocAligned(bytes as number)).toThrow(InvalidArgumentError);
    expect(() => allocAligned(bytes as number)).toThrow(/^bytes must be an integer from 1 to 4294967296 \(buffer.constants.MAX_LENGTH; use allocAlignedSegments for more\); received/);
  });

  it.each([
    [0, undefined, /^bytes must be an integer from 1 to 2 \*\* 47; received 0$/],
    [2 ** 48, undefined, /^bytes must be an integer from 1 to 2 \*\* 47/],
    [8 * MiB, 3 * MiB, /^segmentBytes must be a multiple of 2097152 from 2097152 to 4294967296; received 3145728$/],
    [8 * MiB, 8 * 2 ** 30, /^segmentBytes must be a multiple of 2097152/],
  ])('allocAlignedSegments rejects %s bytes in %s-byte segments', (bytes, segment, message) => {
    expect(() => allocAlignedSegments(bytes, segment)).toThrow(message);
  });

  it('allocAlignedSegments maps one contiguous aligned range', () => {
    const segments = allocAlignedSegments(7 * MiB, 2 * MiB);
    expect(segments.map((s) => s.byteLength)).toEqual([2 * MiB, 2 * MiB, 2 * MiB, MiB]);
    const first = addressOf(segments[0]!);
    expect(first % BigInt(2 * MiB)).toBe(0n);
    segments.forEach((s, i) => expect(addressOf(s)).toBe(first + BigInt(i * 2 * MiB)));
  });

  it('returns memory aligned to 2 MiB, zeroed, of exactly the asked length', () => {
    const buffer = allocAligned(3 * MiB + 5);
    expect(buffer.byteLength).toBe(3 * MiB + 5);
    expect(addressOf(buffer) % BigInt(2 * MiB)).toBe(0n);
    expect(new Uint8Array(buffer).every((b) => b === 0)).toBe(true);
  });

  it('reports an mmap the kernel refuses as a typed error', () => {
    // 2^47 bytes plus the alignment padding exceed the whole 47-bit user address space.
    const error = (() => {
      try {
        allocAlignedSegments(2 ** 47);
      } catch (e) {
        return e as Error & { code?: string };
      }
      return undefined;
    })();
    expect(error?.message).toMatch(/^mmap failed with ENOMEM/);
  });
});

describe('ranges', () => {
  const buffer = allocAligned(4 * MiB);
  const address = addressOf(buffer);

  it.each([
    [{ address: -1n, length: 4096 }, /^range.address must be an address from 0 to 2 \*\* 47 - 1 \(user space; a bigint, or a whole number\); received -1n$/],
    [{ address: 4096.5, length: 4096 }, /^range.address must be an address from 0/],
    [{ address: '4096', length: 4096 }, /^range.address must be an address from 0/],
    [{ address: 0x1000n, length: 0 }, /^range.length must be an integer from 1 to 140737488351232, so that the range ends within user space \(2 \*\* 47\); received 0$/],
    [{ address: 0x1000n, length: -4096 }, /^range.length must be an integer from 1 to \d+, so that the range ends within user space \(2 \*\* 47\); received -4096$/],
    [{ address: 0x1000n, length: 1.5 }, /^range.length must be an integer/],
    [{ address: (1n << 64n) - 4096n, length: 8192 }, /^range.address must be an address from 0 to 2 \*\* 47 - 1/],
    [{ address: (1n << 47n) - 4096n, length: 8192 }, /^range.length must be an integer from 1 to 4096, so that the range ends within user space/],
    [null, /^range must be an ArrayBuffer, a typed array, \{ address, length \} or \{ start, end \} \(addresses as bigints or whole numbers\); received null$/],
    [{ start: -4096, end: 8192 }, /^range.start must be an address from 0 to 2 \*\* 47 - 1 \(user space; a bigint, or a whole number\); received -4096$/],
    [{ start: 0x2000n, end: 0x1000n }, /^range.end must be an address above start \(8192\), at most 2 \*\* 47 \(user space\); received 4096n$/],
    [{ start: 0x1000n }, /^range.end must be an address above start/],
    [{ start: (1n << 47n) - 4096n, end: (1n << 47n) + 4096n }, /^range.end must be an address above start \(\d+\), at most 2 \*\* 47/],
    ['abc', /^range must be an ArrayBuffer/],
    [new ArrayBuffer(0), /^range.byteLength must be at least 1; received 0$/],
  ])('madvise rejects %o', async (range, message) => {
    const error = await rejection(madvise(range as never, 'hugepage'));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toMatch(message);
  });

  it('takes [start, end) as bigints, the shape of a monitor region, as the same bytes as { address, length }', async () => {
    const region = { target: 0, start: address, end: address + BigInt(4 * MiB), nrAccesses: 3, nrAccessesBp: 30_000, age: 1 };
    const units = await residency(region); // its other fields are not read
    expect(units.map((u) => u.address)).toEqual([address, address + BigInt(2 * MiB)]);
    expect(units).toEqual(await residency({ address, length: 4 * MiB }));
    await expect(madvise(region, 'nohugepage')).resolves.toBeUndefined();
  });

  it('takes addresses as whole numbers too, as the same bytes as bigints (docs/conventions.md)', async () => {
    const units = await residency({ address: Number(address), length: 4 * MiB });
    expect(units.map((u) => u.address)).toEqual([address, address + BigInt(2 * MiB)]);
    expect(await residency({ start: Number(address), end: Number(address) + 4 * MiB })).toEqual(units);
    await expect(madvise({ address: Number(address), length: 4 * MiB }, 'nohugepage')).resolves.toBeUndefined();
  });

  it('madvise rejects an unaligned start, naming the page size', async () => {
    const error = await rejection(madvise({ address: address + 1n, length: 4096 }, 'hugepage'));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).field).toBe('range.address');
    expect(error.message).toMatch(/must be a multiple of the page size 4096/);
  });

  it('madvise rejects an unknown advice', async () => {
    const error = await rejection(madvise(buffer, 'huge' as never));
    expect(error.message).toBe('advice must be one of hugepage, nohugepage, collapse, populate-read, populate-write; received "huge"');
  });

  it('madvise on unmapped memory is a NotMappedError', async () => {
    const hole = unmappedRange(2 * MiB);
    const error = await rejection(madvise(hole, 'hugepage'));
    expect(error).toBeInstanceOf(NotMappedError);
    expect(error.message).toBe(`range 0x${hole.address.toString(16)}+${2 * MiB} is not entirely mapped in this process`);
  });

  it('collapse and residency need a whole aligned unit', async () => {
    for (const call of [collapse, residency] as const) {
      const error = await rejection(call({ address: address + 4096n, length: 2 * MiB }));
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error.message).toMatch(/^range must be a range holding at least one whole 2 MiB-aligned unit/);
    }
  });

  it.each([0, -5, 1.5, 2 ** 23, 'me'])('rejects pid %s', async (pid) => {
    const error = await rejection(collapse(buffer, { pid: pid as number }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toMatch(/^options.pid must be 'self' or an integer pid from 1 to 4194304/);
  });

  it('residency of a vanished process is a NoSuchProcessError', async () => {
    await expect(residency(buffer, { pid: unusedPid() })).rejects.toThrow(NoSuchProcessError);
  });

  it('rejects an unknown residency method', async () => {
    const error = await rejection(residency(buffer, { method: 'mincore' as never }));
    expect(error.message).toBe('options.method must be one of pagemap-scan, pagemap; received "mincore"');
  });
});
