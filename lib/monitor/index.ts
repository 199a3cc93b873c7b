export { AccessMonitor, MonitorFailedError } from './access-monitor.js';
export type { AccessMonitorEvents, MonitorRegion, MonitorSnapshot, SimCollapseResult } from './access-monitor.js';
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
