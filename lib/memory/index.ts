export { allocAligned, allocAlignedSegments } from './alloc.js';
export { collapse, type CollapseOptions, type CollapseOutcome, type CollapseReport, type CollapsedUnit } from './collapse.js';
export { pageGeometry, type PageGeometry } from './geometry.js';
export { ADVICE, madvise, type Advice } from './madvise.js';
export { addressOf, type MemoryRange } from './range.js';
export { residency, type ResidencyOptions, type UnitResidency } from './residency.js';
