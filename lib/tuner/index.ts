export { HugepageTuner, type HugepageTunerEvents, type SchemeStatus, type TunerStats } from './hugepage-tuner.js';
export type { ApplyReport, QuotaReport } from '../schemes/scheme-runner.js';
export { TUNER_CHANNELS, type TunerReportMessage, type TunerSnapshotMessage } from './channels.js';
