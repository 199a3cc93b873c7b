export { capabilities } from './capabilities.js';
export type { Capability, CapabilityReport, VaddrEvidence } from './report.js';
export type { SysfsChoice } from './native.js';
