// Public entry point of thp-autotune. Importing it does no work: the native addon loads on
// the first call that needs it.
export * from './errors.js';
export { nativeAvailable } from './native/binding.js';
export * from './monitor/index.js';
export * from './sources/index.js';
export * from './procfs/index.js';
export * from './memory/index.js';
export * from './workloads/index.js';
export * from './usage/index.js';
export * from './units/index.js';
export * from './capabilities/index.js';
export * from './simulator/index.js';
export * from './tuner/index.js';
export * from './config/index.js';
