export { loadTunerConfig, parseTunerConfig } from './file.js';
export type { FilterOptions, GoalOptions, MonitoringOptions, QuotaOptions, SchemeOptions, TunerConfig, TunerOptions, WatermarkOptions } from './options.js';
