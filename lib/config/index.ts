export { loadTunerConfig, parseTunerConfig } from './file.js';
export {
  defaultOptions,
  normalizeTunerOptions,
  type FilterOptions,
  type GoalOptions,
  type MonitoringOptions,
  type NormalizedTunerOptions,
  type QuotaOptions,
  type SchemeOptions,
  type TunerOptions,
  type WatermarkOptions,
} from './options.js';
