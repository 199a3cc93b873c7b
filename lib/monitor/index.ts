export { AccessMonitor, MonitorFailedError } from './access-monitor.js';
export type { AccessMonitorEvents, MonitorRegion, MonitorSnapshot } from './access-monitor.js';
export type { Duration } from './duration.js';
export type {
  AccessMonitorOptions,
  AccessSourceOptions,
  AddressRangeOption,
  IntervalsGoalOptions,
  MonitorAttributes,
  PagemapSourceOptions,
  PatternSourceOptions,
  SimSourceOptions,
  TargetOptions,
} from './options.js';
