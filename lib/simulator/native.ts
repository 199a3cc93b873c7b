// The addon's part for the simulator (native/addon/tlb_simulator.cc).
import type { CollapseResult, MachineConfig, MappedRange, PageSize, SimStats, Translation } from './types.js';

/** A workload as the addon reads it: every field present (defaults filled in by workload.ts). */
export type NativeRunSpec =
  | {
      kind: 'uniform' | 'zipf' | 'sequential' | 'strided' | 'chase' | 'hotcold' | 'phases';
      base: bigint;
      bytes: number;
      count: number;
      granule: number;
      seed: bigint;
      writeFraction: number;
      theta: number;
      stride: number;
      hotFraction: number;
      hotShare: number;
      phaseLength: number;
    }
  | { kind: 'trace'; path: string; count: number };

export interface NativeTlbSimulator {
  map(addr: bigint, length: number, size: PageSize): 'ok' | 'unaligned' | 'out-of-range' | 'overlaps' | 'unsupported-size' | 'out-of-frames';
  unmap(addr: bigint, length: number): number;
  collapse(addr: bigint, maxPtesNone: number): CollapseResult;
  split(addr: bigint): boolean;
  testAndClear(addr: bigint, bit: 'accessed' | 'dirty', flush: boolean): boolean;
  lookup(addr: bigint): Translation | null;
  mappedRanges(lo: bigint, hi: bigint): MappedRange[];
  access(addresses: BigUint64Array | Float64Array, writes: boolean | Uint8Array): void;
  runSync(spec: NativeRunSpec): void;
  runAsync(spec: NativeRunSpec): Promise<void>;
  stats(): SimStats;
  reset(): void;
  clearCounters(): void;
}

export interface TlbSimBinding {
  tlbsim: {
    TlbSimulator: new (config: MachineConfig) => NativeTlbSimulator;
    presets(): Record<string, MachineConfig>;
  };
}
