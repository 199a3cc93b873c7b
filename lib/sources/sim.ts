// A simulated process (native/sources/sim/): the TLB simulator's page table with a seeded
// hot/cold workload, sampled as DAMON's `vaddr` operations sample a real one (test-and-clear
// of the Accessed bit on the PTE or PMD), and the memory operations a tuner applies to it.
// Everything runs on the JS thread, on the monitor's stepped clock (`AccessMonitor.step()`):
// its methods are refused while the monitor's own thread runs.
import { InvalidArgumentError } from '../errors.js';
import { nativeBinding } from '../native/binding.js';
import { toNativeRanges, type AddressRangeOption } from '../monitor/options.js';
import type { NativeSimulatedSource, NativeSimulatedSourceOptions } from './native.js';
import { AccessSource } from './source.js';

export interface SimulatedSourceOptions {
  /** Mapped ranges, each aligned to its page size ('4k' default, or '2m' for PMD-mapped huge pages). */
  mappings: (AddressRangeOption & { pageSize?: '4k' | '2m' })[];
  workload?: {
    /** Hot ranges; default none. */
    hot?: AddressRangeOption[];
    /** Share of accesses that go to the hot ranges (0..1); default 0.9. */
    hotShare?: number;
    /** Accesses per 5 ms of simulated time (scaled with the sampling interval); default 50000. */
    accessesPer5ms?: number;
    /** Share of accesses that are writes (0..1); default 0. */
    writeFraction?: number;
  };
}

/** What collapse() did to one 2 MiB unit. */
export interface SimCollapseResult {
  status: 'collapsed' | 'unaligned' | 'out-of-range' | 'already-huge' | 'too-many-none' | 'empty' | 'out-of-frames';
  /** Absent PTEs found in the unit. */
  nonePtes: number;
  /** Absent pages that became zero-filled memory (the collapse's bloat). */
  filledPages: number;
}

/** One whole 2 MiB unit of the simulated process. */
export interface SimUnitResidency {
  address: number;
  /** Resident 4 KiB pages (0..512). */
  residentPages: number;
  /** Whether one PMD maps the unit. */
  pmdMapped: boolean;
}

function fraction(field: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new InvalidArgumentError(field, 'a number from 0 to 1', v);
  return v;
}

function toNativeOptions(s: SimulatedSourceOptions): NativeSimulatedSourceOptions {
  if (typeof s !== 'object' || s === null) throw new InvalidArgumentError('source', 'an object {mappings, workload?}', s);
  const pages = (s.mappings ?? []).map((m) => m.pageSize ?? '4k');
  const mappings = toNativeRanges('source.mappings', s.mappings ?? []).map(([start, end], i): [number, number, number] => {
    const size = pages[i] === '2m' ? 2 ** 21 : pages[i] === '4k' ? 4096 : NaN;
    if (Number.isNaN(size)) throw new InvalidArgumentError(`source.mappings[${i}].pageSize`, "'4k' or '2m'", pages[i]);
    if (start % size !== 0 || end % size !== 0) throw new InvalidArgumentError(`source.mappings[${i}]`, `start and end aligned to ${pages[i]}`, s.mappings[i]);
    return [start, end, size];
  });
  const w = s.workload ?? {};
  const accessesPer5ms = w.accessesPer5ms ?? 50000;
  if (!Number.isInteger(accessesPer5ms) || accessesPer5ms < 0 || accessesPer5ms > 1e9) {
    throw new InvalidArgumentError('source.workload.accessesPer5ms', 'an integer from 0 to 1000000000', w.accessesPer5ms);
  }
  return {
    mappings,
    hot: toNativeRanges('source.workload.hot', w.hot ?? []),
    hotShare: fraction('source.workload.hotShare', w.hotShare, 0.9),
    accessesPer5ms,
    writeFraction: fraction('source.workload.writeFraction', w.writeFraction, 0),
  };
}

export class SimulatedSource extends AccessSource {
  readonly signal = 'access';
  readonly #native: NativeSimulatedSource;

  constructor(options: SimulatedSourceOptions) {
    const native = new (nativeBinding().SimulatedSource)(toNativeOptions(options));
    super({ native, kernel: false });
    this.#native = native;
  }

  /** Moves the workload's hot set. */
  setHotSet(hot: AddressRangeOption[]): void {
    this.#native.setHotSet(toNativeRanges('hot', hot));
  }

  /** Unmaps ranges while they are monitored (munmap); returns the bytes unmapped. */
  unmap(ranges: AddressRangeOption[]): number {
    return this.#native.unmap(toNativeRanges('ranges', ranges));
  }

  /**
   * MADV_COLLAPSE of the 2 MiB unit at `address`, with khugepaged's rule on absent PTEs: at
   * most `maxPtesNone` of its 512 may be absent, and those become zero-filled pages.
   */
  collapse(address: number, maxPtesNone: number): SimCollapseResult {
    return this.#native.collapse(address, maxPtesNone) as SimCollapseResult;
  }

  /** Splits the huge page at `address` into 4 KiB pages (split_huge_pmd); false if none. */
  split(address: number): boolean {
    return this.#native.split(address);
  }

  /** Drops pages but keeps the mapping (MADV_DONTNEED); returns the bytes dropped. */
  discard(ranges: AddressRangeOption[]): number {
    return this.#native.discard(toNativeRanges('ranges', ranges));
  }

  /** Per whole 2 MiB unit of [start, end): resident 4 KiB pages and whether a PMD maps it. */
  residency(start: number, end: number): SimUnitResidency[] {
    return this.#native.residency(start, end).map(([address, residentPages, pmdMapped]) => ({ address, residentPages, pmdMapped }));
  }

  /**
   * Per range, its 4 KiB pages accessed since each was last sampled or probed, clearing
   * their Accessed bits (the test-and-clear of the `vaddr` operations' prepare_access_checks
   * callback), so the next probe counts what happened in between.
   */
  probe(ranges: { start: number; end: number }[]): number[] {
    return this.#native.probe(ranges.map((r): [number, number] => [r.start, r.end]));
  }
}
