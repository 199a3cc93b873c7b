// TlbSimulator: the typed front of the native page-walk and TLB simulator.
import { BusyError, InvalidArgumentError, ThpError } from '../errors.js';
import { nativeBinding } from '../native/binding.js';
import type { NativeTlbSimulator } from './native.js';
import { Type } from '@sinclair/typebox';
import { AddressSchema, Integer, Strict } from '../validation/schemas.js';
import { validate } from '../validation/validate.js';
import { PageSizeSchema, resolveMachine } from './options.js';
import type { CollapseResult, MachineConfig, MappedRange, PageSize, SimStats, TlbSimulatorOptions, Translation, Workload } from './types.js';
import { toRunSpec } from './workload.js';

/** Runs up to this many accesses in the calling thread; longer runs go to a worker thread. */
export const SYNC_RUN_LIMIT = 200_000;

const PAGE_BYTES: Record<PageSize, number> = { '4k': 4096, '2m': 2 ** 21, '1g': 2 ** 30 };

function address(v: unknown, field: string): bigint {
  return BigInt(validate(AddressSchema, v, field));
}

function length(v: unknown, field: string): number {
  return validate(Integer(0, Number.MAX_SAFE_INTEGER), v, field);
}

const CollapseOptionsSchema = Strict({ maxPtesNone: Type.Optional(Integer(0, 511)) });

// The addon reports a concurrent call as an Error with code ERR_THP_SIMULATOR_BUSY and a trace
// problem as ERR_THP_TRACE; map them to the package's typed errors.
function translate(e: unknown): unknown {
  const code = (e as { code?: unknown }).code;
  if (code === 'ERR_THP_SIMULATOR_BUSY') return new BusyError('TlbSimulator', (e as Error).message);
  if (code === 'ERR_THP_TRACE') return new ThpError('ERR_THP_TRACE', (e as Error).message);
  return e;
}

function guarded<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw translate(e);
  }
}

/**
 * A simulated x86-64 page table with an L1/L2 TLB hierarchy, page-walk caches and optional
 * nested paging. While a `run` is in flight on a worker thread, every other call rejects
 * with BusyError (calls are not queued).
 */
export class TlbSimulator {
  readonly config: MachineConfig;
  readonly #native: NativeTlbSimulator;

  constructor(options: TlbSimulatorOptions = {}) {
    this.config = resolveMachine(options);
    this.#native = new (nativeBinding().tlbsim.TlbSimulator)(this.config);
  }

  /** Maps [addr, addr+bytes) with pages of `size`; both must be aligned to it and the range free. */
  map(addr: bigint | number, bytes: number, size: PageSize = '4k'): void {
    const a = address(addr, 'addr');
    const len = length(bytes, 'bytes');
    const s = validate(PageSizeSchema, size, 'size');
    const status = guarded(() => this.#native.map(a, len, s));
    if (status === 'ok') return;
    if (status === 'unaligned') {
      throw new InvalidArgumentError('addr/bytes', `multiples of the ${s} page size (${PAGE_BYTES[s]} bytes)`, { addr: a, bytes: len });
    }
    if (status === 'overlaps') {
      throw new InvalidArgumentError('addr/bytes', 'a range with nothing mapped in it yet', { addr: a, bytes: len });
    }
    if (status === 'out-of-frames') {
      throw new InvalidArgumentError('bytes', "at most what is left of the simulated physical memory (64 TiB of frames over the simulator's life: unmapped frames are not reused)", {
        addr: a,
        bytes: len,
      });
    }
    throw new InvalidArgumentError('addr/bytes', `a range below 2^${this.config.levels === 5 ? 57 : 48} (the ${this.config.levels}-level address space)`, { addr: a, bytes: len });
  }

  /** Unmaps every page inside the range (splitting huge pages it only partly covers); returns bytes unmapped. */
  unmap(addr: bigint | number, bytes: number): number {
    const a = address(addr, 'addr');
    const len = length(bytes, 'bytes');
    return guarded(() => this.#native.unmap(a, len));
  }

  /** khugepaged-style collapse of the 2 MiB range at `addr` (at most maxPtesNone absent PTEs; default 511). */
  collapse(addr: bigint | number, options: { maxPtesNone?: number } = {}): CollapseResult {
    const a = address(addr, 'addr');
    const none = validate(CollapseOptionsSchema, options, 'options').maxPtesNone ?? 511;
    return guarded(() => this.#native.collapse(a, none));
  }

  /** Splits the 2 MiB leaf covering `addr` into 512 PTEs; false if none covers it. */
  split(addr: bigint | number): boolean {
    const a = address(addr, 'addr');
    return guarded(() => this.#native.split(a));
  }

  /** DAMON's mkold: clears Accessed on the leaf covering `addr` and returns the old bit. `flush` also drops its TLB entries. */
  testAndClearAccessed(addr: bigint | number, options: { flush?: boolean } = {}): boolean {
    const a = address(addr, 'addr');
    return guarded(() => this.#native.testAndClear(a, 'accessed', options.flush === true));
  }

  testAndClearDirty(addr: bigint | number, options: { flush?: boolean } = {}): boolean {
    const a = address(addr, 'addr');
    return guarded(() => this.#native.testAndClear(a, 'dirty', options.flush === true));
  }

  /** The leaf translating `addr`, or null when unmapped (no side effects). */
  lookup(addr: bigint | number): Translation | null {
    const a = address(addr, 'addr');
    return guarded(() => this.#native.lookup(a));
  }

  /** Maximal runs of same-size pages in [lo, hi). */
  mappedRanges(lo: bigint | number = 0, hi: bigint | number = 1n << 57n): MappedRange[] {
    const l = address(lo, 'lo');
    const h = address(hi, 'hi');
    return guarded(() => this.#native.mappedRanges(l, h));
  }

  /** Simulates the addresses in `batch` in order, reading the array in place. `writes` is one flag for all or one byte per access. */
  access(batch: BigUint64Array | Float64Array, writes: boolean | Uint8Array = false): void {
    if (!(batch instanceof BigUint64Array) && !(batch instanceof Float64Array)) {
      throw new InvalidArgumentError('batch', 'a BigUint64Array or Float64Array of addresses', batch);
    }
    if (writes instanceof Uint8Array) {
      if (writes.length !== batch.length) {
        throw new InvalidArgumentError('writes', `a Uint8Array of the batch's length (${batch.length})`, writes.length);
      }
    } else if (typeof writes !== 'boolean') {
      throw new InvalidArgumentError('writes', 'a boolean or a Uint8Array', writes);
    }
    guarded(() => this.#native.access(batch, writes));
  }

  /** Runs a workload in the calling thread and returns the counters. */
  runSync(workload: Workload): SimStats {
    const spec = toRunSpec(workload);
    return guarded(() => {
      this.#native.runSync(spec);
      return this.#native.stats();
    });
  }

  /** Runs a workload: short ones in the calling thread, longer ones (and traces) on a worker thread. */
  async run(workload: Workload): Promise<SimStats> {
    const spec = toRunSpec(workload);
    if (spec.kind !== 'trace' && spec.count <= SYNC_RUN_LIMIT) return this.runSync(workload);
    try {
      await this.#native.runAsync(spec);
    } catch (e) {
      throw translate(e);
    }
    return this.stats();
  }

  /** Counters since construction or the last reset/clearCounters. */
  stats(): SimStats {
    return guarded(() => this.#native.stats());
  }

  /** Empties the TLBs and walk caches and zeroes the counters; mappings stay. */
  reset(): void {
    guarded(() => this.#native.reset());
  }

  /** Zeroes the counters only (TLB contents stay warm). */
  clearCounters(): void {
    guarded(() => this.#native.clearCounters());
  }
}

/**
 * Predicted speedup of layout `b` over layout `a` for the same workload: the ratio of their
 * estimated cycles per access (base access cost plus translation cycles).
 */
export function predictSpeedup(a: SimStats, b: SimStats): number {
  const perA = a.cycles.estimatedTotal / Math.max(1, a.accesses);
  const perB = b.cycles.estimatedTotal / Math.max(1, b.accesses);
  return perA / perB;
}
