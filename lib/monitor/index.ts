export { AccessMonitor, MonitorFailedError } from './access-monitor.js';
export { pagemapLowOverhead } from './presets.js';
export type { AccessMonitorEvents } from './access-monitor.js';
export type { MonitorAttributesInForce, MonitorRegion, MonitorSnapshot } from './snapshot.js';
export type { AccessMonitorOptions, AddressRangeOption, IntervalsGoalOptions, MonitorAttributes, TargetOptions } from './options.js';
