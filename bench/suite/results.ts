// The results file of one run (bench/results/<date>-<cpu>-<kernel>.json): everything the
// pages are generated from, raw per child, so that `--report-only` can regenerate them and a
// later change to the statistics applies to old runs too.
import type { TunerOptions } from '../../lib/config/index.js';
import type { ConfigName, Configuration } from './configurations.js';
import type { Machine } from './machine.js';
import type { Measurement, Prediction, Timing } from './protocol.js';
import type { Scale } from './workload.js';

export const RESULTS_FORMAT = 'thp-autotune-bench-suite';
export const RESULTS_VERSION = 1;

export interface WorkloadInfo {
  name: string;
  title: string;
  unit: string;
  tunerCanHelp: boolean;
  description: string | null;
  thirdParty: boolean;
  /** Module path relative to the repository. */
  module: string;
  advisor: boolean;
  phaseChange: boolean;
  /** Whether its accesses are reads. */
  reads: boolean;
}

export interface RunRecord {
  round: number;
  workload: string;
  config: ConfigName;
  /** The THP mode the child ran under. */
  thpMode: string | null;
  wallMs: number;
  measurement: Measurement | null;
  error: string | null;
}

export interface PredictionRecord {
  workload: string;
  prediction: Prediction | null;
  error: string | null;
}

export interface SuiteResults {
  format: typeof RESULTS_FORMAT;
  version: number;
  startedAt: string;
  finishedAt: string;
  durationS: number;
  command: string;
  scale: Scale;
  rounds: number;
  /** Child processes that ran at once (1 unless a smoke test asked for more). */
  jobs?: number;
  timing: Timing;
  machine: Machine;
  loadAverage: { start: number[]; end: number[] };
  /** How THP=always was had: the sysfs setting for its children, or MADV_HUGEPAGE before touch on the suite's buffers. */
  alwaysMethod: 'sysfs' | 'madvise-stand-in';
  recommended: { source: string; options: TunerOptions };
  configurations: Configuration[];
  workloads: WorkloadInfo[];
  runs: RunRecord[];
  predictions: PredictionRecord[];
  notes: string[];
}
