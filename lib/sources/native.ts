// The addon's source classes (native/addon/sources/), one per access source.
import type { NativeRange } from '../monitor/native.js';

/** Every native source object: AccessMonitor's addon side recognises these by class. */
export type NativeSource = object;

export interface NativePatternSource extends NativeSource {
  setHotRanges(hot: [number, number, number][]): void;
  setMappings(mappings: NativeRange[]): void;
}

export interface NativeSimulatedSourceOptions {
  mappings: [number, number, number][];
  hot: NativeRange[];
  hotShare: number;
  accessesPer5ms: number;
  writeFraction: number;
}

export interface NativeSimulatedSource extends NativeSource {
  setHotSet(hot: NativeRange[]): void;
  unmap(ranges: NativeRange[]): number;
  collapse(address: number, maxPtesNone: number): { status: string; nonePtes: number; filledPages: number };
  split(address: number): boolean;
  discard(ranges: NativeRange[]): number;
  residency(start: number, end: number): [number, number, boolean][];
  probe(ranges: NativeRange[]): number[];
}

export interface NativePagemapSource extends NativeSource {
  unprotect(ranges: NativeRange[]): void;
  setProtectHuge(on: boolean): void;
  setPaused(paused: boolean): void;
  registeredBytes(): number;
  probe(ranges: NativeRange[]): Promise<number[]>;
}

/** The referenced source's state in the addon's units (lib/sources/referenced.ts gives it in ms). */
export interface NativeReferencedSourceState {
  cycles: number;
  lastCycleCpuNs: number;
  totalCycleCpuNs: number;
  intervalUs: number;
  accessBitNs: number;
  armingStallNs: number;
  lastWindowProgramNs: number;
  cellBytes: number;
  markedRanges: number;
  armedCells: number;
  carriedCells: number;
  lastWindowUs: number;
  rateWindowUs: number;
  rateObservations: number;
}

/** The referenced source's options, checked, in the addon's units (referencedSourceSettings). */
export interface ReferencedSettings {
  minIntervalUs: number;
  cpuBudgetBp: number;
  programBudgetBp: number;
  hugeIntervalUs: number;
  rateWindowUs: number;
}

export interface NativeReferencedSource extends NativeSource {
  state(): NativeReferencedSourceState;
  /** Windows closed within maxAgeUs and the last one; -1: the last one only. */
  probe(ranges: NativeRange[], maxAgeUs: number): number[];
  /** [start, end, residentBytes, referencedBytes, windowNs, accessBitNs] per rate cell observed since the last call. */
  takeRates(): [number, number, number, number, number, number][];
}

export interface SourcesBinding {
  PatternSource: new (mappings: NativeRange[], hot: [number, number, number][]) => NativePatternSource;
  SimulatedSource: new (options: NativeSimulatedSourceOptions) => NativeSimulatedSource;
  PagemapSource: new () => NativePagemapSource;
  ReferencedSource: new (options: ReferencedSettings) => NativeReferencedSource;
  KernelDamonSource: new (pid: number) => NativeSource;
}
