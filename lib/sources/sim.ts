// A simulated process (native/sources/sim/): the TLB simulator's page table with a seeded
// hot/cold workload, sampled as DAMON's `vaddr` operations sample a real one (test-and-clear
// of the Accessed bit on the PTE or PMD), and the memory operations a tuner applies to it.
// Everything runs on the JS thread, on the monitor's stepped clock (`AccessMonitor.step()`):
// its methods are refused while the monitor's own thread runs.
import { InvalidArgumentError } from '../errors.js';
import { nativeBinding } from '../native/binding.js';
import { Type, type Static } from '@sinclair/typebox';
import { AddressRangeSchema, toNativeRanges, type AddressRangeOption } from '../monitor/options.js';
import { ratioToFraction } from '../units/ratio.js';
import { AddressSchema, Integer, RatioSchema, Strict, type Address } from '../validation/schemas.js';
import { validate } from '../validation/validate.js';
import type { NativeSimulatedSource, NativeSimulatedSourceOptions } from './native.js';
import { toNativeProbeRanges, type ProbeRange } from './probe-range.js';
import { AccessSource } from './source.js';

export const simulatedSourceProperties = {
  /** Mapped ranges, each aligned to its page size ('4k' default, or '2m' for PMD-mapped huge pages). */
  mappings: Type.Array(Strict({ start: AddressSchema, end: AddressSchema, pageSize: Type.Optional(Type.Union([Type.Literal('4k'), Type.Literal('2m')])) })),
  workload: Type.Optional(
    Strict({
      /** Hot ranges; default none. */
      hot: Type.Optional(Type.Array(AddressRangeSchema)),
      /** Share of accesses that go to the hot ranges (a ratio); default 0.9. */
      hotShare: Type.Optional(RatioSchema),
      /** Accesses per 5 ms of simulated time (scaled with the sampling interval); default 50000. */
      accessesPer5ms: Type.Optional(Integer(0, 1e9)),
      /** Share of accesses that are writes (a ratio); default 0. */
      writeFraction: Type.Optional(RatioSchema),
    }),
  ),
};
const SimulatedSourceSchema = Strict(simulatedSourceProperties);
/** @useDeclaredType */
export type SimulatedSourceOptions = Static<typeof SimulatedSourceSchema>;

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
  address: bigint;
  /** Resident 4 KiB pages (0..512). */
  residentPages: number;
  /** Whether one PMD maps the unit. */
  pmdMapped: boolean;
}

function toNativeOptions(raw: SimulatedSourceOptions): NativeSimulatedSourceOptions {
  const s = validate(SimulatedSourceSchema, raw, 'source');
  const mappings = toNativeRanges(
    'source.mappings',
    s.mappings.map(({ start, end }) => ({ start, end })),
  ).map(([start, end], i): [number, number, number] => {
    const pageSize = s.mappings[i]!.pageSize ?? '4k';
    const size = pageSize === '2m' ? 2 ** 21 : 4096;
    if (start % size !== 0 || end % size !== 0) throw new InvalidArgumentError(`source.mappings[${i}]`, `start and end aligned to ${pageSize}`, s.mappings[i]);
    return [start, end, size];
  });
  const w = s.workload ?? {};
  return {
    mappings,
    hot: toNativeRanges('source.workload.hot', w.hot ?? []),
    hotShare: w.hotShare === undefined ? 0.9 : ratioToFraction('source.workload.hotShare', w.hotShare),
    accessesPer5ms: w.accessesPer5ms ?? 50000,
    writeFraction: w.writeFraction === undefined ? 0 : ratioToFraction('source.workload.writeFraction', w.writeFraction),
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
  collapse(address: Address, maxPtesNone: number): SimCollapseResult {
    return this.#native.collapse(Number(address), maxPtesNone) as SimCollapseResult;
  }

  /** Splits the huge page at `address` into 4 KiB pages (split_huge_pmd); false if none. */
  split(address: Address): boolean {
    return this.#native.split(Number(address));
  }

  /** Drops pages but keeps the mapping (MADV_DONTNEED); returns the bytes dropped. */
  discard(ranges: AddressRangeOption[]): number {
    return this.#native.discard(toNativeRanges('ranges', ranges));
  }

  /** Per whole 2 MiB unit of [start, end): resident 4 KiB pages and whether a PMD maps it. */
  residency(start: Address, end: Address): SimUnitResidency[] {
    return this.#native.residency(Number(start), Number(end)).map(([address, residentPages, pmdMapped]) => ({ address: BigInt(address), residentPages, pmdMapped }));
  }

  /**
   * Per range, its 4 KiB pages accessed since each was last sampled or probed, clearing
   * their Accessed bits (the test-and-clear of the `vaddr` operations' prepare_access_checks
   * callback), so the next probe counts what happened in between.
   */
  probe(ranges: readonly ProbeRange[]): number[] {
    return this.#native.probe(toNativeProbeRanges(ranges));
  }
}
