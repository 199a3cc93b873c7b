// Public entry point of thp-autotune: exactly the surface the docs and the API reference document (pinned by
// test/api/exports.test.ts). Importing it does no work: the native addon loads on the first
// call that needs it.
export * from './errors.js';
export { nativeAvailable } from './native/binding.js';

// Memory: aligned buffers, madvise, MADV_COLLAPSE, residency.
export * from './memory/index.js';

// /proc readers and the goal metric.
export * from './procfs/index.js';

// What the kernel offers.
export * from './capabilities/index.js';

// Units and workloads.
export { formatBytes, parseBytes } from './units/bytes.js';
export type { Duration } from './units/duration.js';
export type { Ratio } from './units/ratio.js';
export type { Address } from './validation/schemas.js';
export { timeRandomReads, type RandomReadOptions, type RandomReadResult } from './workloads/random-reads.js';

// TLB and page-walk simulator.
export { TlbSimulator, predictSpeedup } from './simulator/simulator.js';
export { presetNames, presetConfig } from './simulator/presets.js';
export * from './simulator/types.js';

// Access monitor and its sources.
export * from './monitor/index.js';
export * from './sources/index.js';

// Hugepage tuner, its options and configuration files.
export { HugepageTuner, type HugepageTunerEvents, type SchemeStatus, type TunerStats } from './tuner/hugepage-tuner.js';
export { TUNER_CHANNELS, type TunerReportMessage, type TunerSnapshotMessage } from './tuner/channels.js';
export type { ApplyReport, QuotaReport } from './schemes/scheme-runner.js';
export type { SchemeStats, TriedRegion, UnitOutcome } from './schemes/stats.js';
export type { SchemeAction, Scoring } from './schemes/actions.js';
export type { AccessPatternOptions } from './schemes/access-pattern.js';
export type { GoalMetric } from './quota/goals.js';
export type { GoalTuner } from './quota/goal-tuners.js';
export * from './config/index.js';
export { Recorder, readRecording, RECORDING_FORMAT, RECORDING_VERSION } from './record/index.js';
export type { EndLine, RecordedSnapshot, Recording, RecorderEvents, RecorderOptions, RecorderProgress, RatesLine, RecordingHeader, ResidencyLine, SnapshotLine, TargetsLine } from './record/index.js';
export { accessReport, formatAccessReport, formatHugeReport, formatWssReport, heatGrid, heatmapSvg, hugeReport, svgToPng, terminalHeatmap, wssReport } from './report/index.js';
export type { AccessReport, HeatCell, HeatGrid, HugeReport, HugeRow, WssReport } from './report/index.js';
export { advise, calibrate, formatAdvice, MODEL_DEFAULTS } from './advisor/index.js';
export type { AccessRate, AdviseOptions, Calibration, CalibrationOptions, HugePageAdvice, LayoutPrediction, ProbeSize, SimulatedMachine, TimeModel } from './advisor/index.js';
