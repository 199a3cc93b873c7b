// What the suite's parent asks of a child process and what the child answers (one JSON line
// on stdout, after a marker so that a workload printing to stdout cannot be mistaken for it).
import type { TunerOptions } from '../../lib/config/index.js';
import type { ConfigName } from './configurations.js';
import type { Scale } from './workload.js';

export const RESULT_MARKER = '@@bench-suite-result ';

/** How long each phase of a child lasts (scale.ts sets them per scale). */
export interface Timing {
  /** Length of one run() call between two turns of the event loop. */
  sliceMs: number;
  /** Warm-up before measuring, for every configuration (the JIT, caches; the tuners get at least this). */
  warmupMs: number;
  /** The warm-up of workloads that ask for a long one (Workload.longWarmup), for every configuration. */
  longWarmupMs: number;
  measureMs: number;
  /** The longest a tuner is given to put the hot set on 2 MiB pages before the measurement starts anyway. */
  convergeCapMs: number;
  /**
   * A tuner whose progress has not grown for this long after its own warm-up (or for three of
   * its aggregation intervals, if longer: it acts at most once per aggregation) is measured as it is.
   */
  stallMs: number;
  /**
   * Aggregations a tuner is given to show its first progress, on a workload it can help: its
   * monitor first has to split its regions down to the hot set, a few aggregations each step.
   */
  firstProgressAggregations: number;
  pollMs: number;
  /** Phase-change workloads: moves of the hot set in the measured phase, and the time after each. */
  phase: { moves: number; phaseMs: number };
  /** How long the advisor's recording runs. */
  recordMs: number;
}

interface RequestBase {
  workloadFile: string;
  workload: string;
  scale: Scale;
  timing: Timing;
}

export interface MeasureRequest extends RequestBase {
  mode: 'measure';
  config: ConfigName;
  tuner: TunerOptions | null;
  /** The THP=always stand-in: MADV_HUGEPAGE on the suite's buffers before they are touched. */
  hugepageBeforeTouch: boolean;
}

export interface RecordRequest extends RequestBase {
  mode: 'record';
}

export type ChildRequest = MeasureRequest | RecordRequest;

export interface TunerFigures {
  collapsedUnits: number;
  /** Zero-filled bytes collapse added (absent 4 KiB pages of collapsed units). */
  addedBytes: number;
  actionMs: number;
  outcomes: Record<string, number>;
  aggregations: number;
  eligibleBytes: number;
  ineligibleBytes: number;
  churnSplits: number;
  errors: string[];
}

/** One move of a phase-change workload's hot set. */
export interface PhaseFigures {
  /** Whole 2 MiB units of the new hot set, and those not on 2 MiB pages when it moved. */
  hotUnits: number;
  unitsToCollapse: number;
  /** From the move until 95% of the new hot set was on 2 MiB pages (null: not within the phase). */
  timeToHugeMs: number | null;
  /** From the move until the tuner's first collapse. */
  firstCollapseMs: number | null;
  collapsedUnits: number;
  actionMs: number;
  /** The time the tuner's quota alone allows for collapsing unitsToCollapse (null: no time quota, or no cost measured). */
  quotaLimitedMs: number | null;
}

export interface Measurement {
  setupMs: number;
  /** Ops per second in the measured phase. */
  throughput: number;
  ops: number;
  measuredMs: number;
  latency: { count: number; p50Ns: number; p99Ns: number; p999Ns: number } | null;
  rssBytes: number;
  anonHugeBytes: number;
  /** The workload's hot ranges at the end: whole units and those on 2 MiB pages (null: it does not say where its hot set is). */
  hot: { units: number; huge: number } | null;
  /** From the start of the warm-up (the tuner's start) until 95% of the hot set was on 2 MiB pages. */
  timeToHugeMs: number | null;
  convergeMs: number;
  convergeEnd: 'warmup' | 'huge' | 'stalled' | 'cap';
  /** Machine-wide thp_split_pmd added from the end of setup to the end of the measurement. */
  splitPmd: number | null;
  /** CPU of every thread but the main one during the measured phase. */
  otherThreadsCpuMs: number;
  /** Null when the event loop's delay histogram got no sample. */
  loopP99Ms: number | null;
  /** Slices held up LONG_SLICE_MS or more, per second of the measurement (bench/suite/sliced-run.ts). */
  longSlicesPerS: number;
  tuner: TunerFigures | null;
  phases: PhaseFigures[] | null;
}

export interface Prediction {
  /** The advisor's predicted speedup of the access path over 4 KiB pages: its tuner layout and THP=always. */
  speedupTuner: number;
  speedupAlways: number;
  hotBytes: number;
  accessedBytes: number;
  addedBytesTuner: number;
  addedBytesAlways: number;
  snapshots: number;
  machine: string;
  caveats: string[];
}

export type ChildAnswer = { ok: true; measurement: Measurement } | { ok: true; prediction: Prediction } | { ok: false; error: string };
