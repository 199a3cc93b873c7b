// Readers of /proc files about memory and transparent huge pages.
export { pinProcess, processStartTime, type PinnedProcess, type ProcessTarget } from './target.js';
export { parseMaps, readMaps, type Vma } from './maps.js';
export { parseSmaps, readSmaps, parseSmapsRollup, readSmapsRollup, type AnonymousSizes, type SmapsVma, type SmapsRollup } from './smaps.js';
export { parseMeminfo, readMeminfo, parseVmstat, readVmstat, parseMemoryPressure, readMemoryPressure, type Meminfo, type VmstatThp } from './system.js';
export type { KeyFields, MemoryPressure, PressureLine } from './native.js';
export { hugepageUsage, type HugepageUsage, type HugepageUsageOptions, type UsageScope } from './hugepage-usage.js';
