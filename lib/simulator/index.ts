// Page-walk and TLB simulator: public API.
export { TlbSimulator, predictSpeedup, SYNC_RUN_LIMIT } from './simulator.js';
export { presetNames, presetConfig } from './presets.js';
export { resolveMachine } from './options.js';
export { WORKLOAD_KINDS } from './workload.js';
export * from './types.js';
