export { AccessSource } from './source.js';
export { PatternSource } from './pattern.js';
export { SimulatedSource } from './sim.js';
export { PagemapSource } from './pagemap.js';
export { KernelDamonSource } from './kernel-damon.js';
export type { PatternHotRange, PatternSourceOptions } from './pattern.js';
export type { SimCollapseResult, SimUnitResidency, SimulatedSourceOptions } from './sim.js';
export type { KernelDamonSourceOptions } from './kernel-damon.js';
