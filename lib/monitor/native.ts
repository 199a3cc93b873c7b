// The addon's monitoring part (native/addon/access_monitor.cc, monitor_formulas.cc).
import type { NativeSource } from '../sources/native.js';
import type { MonitorRegion } from './snapshot.js';

export interface NativeAttrs {
  sampleUs: number;
  aggrUs: number;
  opsUpdateUs: number;
  minNrRegions: number;
  maxNrRegions: number;
  goal: { accessBp: number; aggrs: number; minSampleUs: number; maxSampleUs: number };
}

export interface NativeRegion {
  start: number;
  end: number;
  nrAccesses: number;
  nrAccessesBp: number;
  age: number;
  lastNrAccesses: number;
  samplingAddr?: number;
}

/** Durations in the native units (us, ns); lib/monitor/access-monitor.ts turns them into ms. */
export interface NativeSnapshot {
  aggregation: number;
  passedSampleIntervals: number;
  sampleUs: number;
  aggrUs: number;
  maxNrAccesses: number;
  timeNs: number;
  elapsedNs: number;
  threadCpuNs: number;
  skippedSamples: number;
  /** Built by the addon in the public shape, BigInt addresses included (monitor_convert.cc). */
  regions: MonitorRegion[];
}

export type NativeRange = [number, number];

export interface NativeMonitorOptions {
  attrs: Partial<NativeAttrs>;
  targets: { ranges?: NativeRange[] }[];
  source: NativeSource;
  seed: number;
}

export interface NativeAccessMonitor {
  step(samples: number): NativeSnapshot[];
  start(onEvent: (kind: 'aggregate' | 'stopped', payload?: NativeSnapshot | string) => void): void;
  stop(): void;
  /** Stops the thread and waits for it (blocking): only from a process 'exit' listener. */
  stopAtExit(): void;
  setAttrs(attrs: Partial<NativeAttrs>): void;
  setTargets(targets: { ranges?: NativeRange[] }[]): void;
  attrs(): NativeAttrs;
  snapshot(): NativeSnapshot | null;
  regions(): NativeRegion[][];
  sizeLimit(): number;
  running(): boolean;
  signal(): 'access' | 'write';
}

export interface NativeMonitorFormulas {
  mergeRegionsOf(regions: Partial<NativeRegion>[], threshold: number, sizeLimit: number): NativeRegion[];
  mergeRegions(regions: Partial<NativeRegion>[], threshold: number, sizeLimit: number, maxNrRegions: number, maxThres: number): NativeRegion[];
  splitRegions(regions: Partial<NativeRegion>[], maxNrRegions: number, lastNrRegions: number, seed: number): { regions: NativeRegion[]; lastNrRegions: number };
  applyMinNrRegions(regions: Partial<NativeRegion>[], minNrRegions: number): { regions: NativeRegion[]; sizeLimit: number };
  feedLoopNextInput(lastInput: number, scoreBp: number): number;
  intervalsAdaptationBp(regions: Partial<NativeRegion>[], attrs: Partial<NativeAttrs>): number;
  tunedAttrs(regions: Partial<NativeRegion>[], attrs: Partial<NativeAttrs>): NativeAttrs;
  rescaleRegions(regions: Partial<NativeRegion>[], oldAttrs: Partial<NativeAttrs>, newAttrs: Partial<NativeAttrs>, midAggregation: boolean): NativeRegion[];
  threeRegions(mappings: NativeRange[]): NativeRange[] | null;
  setRegions(regions: Partial<NativeRegion>[], ranges: NativeRange[]): NativeRegion[];
  validateAttrs(attrs: Partial<NativeAttrs>): string;
}

export interface MonitorBinding {
  AccessMonitor: new (options: NativeMonitorOptions) => NativeAccessMonitor;
  monitorFormulas: NativeMonitorFormulas;
}
