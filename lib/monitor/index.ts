export { AccessMonitor, MonitorFailedError } from './access-monitor.js';
export { pagemapLowOverhead } from './presets.js';
export type { AccessMonitorEvents, SimCollapseResult } from './access-monitor.js';
export type { MonitorRegion, MonitorSnapshot } from './snapshot.js';
export type {
  AccessMonitorOptions,
  AccessSourceOptions,
  AddressRangeOption,
  DamonSourceOptions,
  IntervalsGoalOptions,
  MonitorAttributes,
  PagemapSourceOptions,
  PatternSourceOptions,
  SimSourceOptions,
  TargetOptions,
} from './options.js';
