export { matchesPattern, maxNrAccesses, toRawPattern, type AccessPatternOptions, type RawAccessPattern } from './access-pattern.js';
export { KERNEL_CONSTANT_SCORE, SCHEME_ACTIONS, SCORINGS, type SchemeAction, type Scoring } from './actions.js';
export { aggregationsPerApply, dueAt } from './apply-interval.js';
export { filtersPass, splitAtFilterBounds, type RegionFilter, type SchemeFilter } from './filters.js';
export { fromMarker } from './resume-marker.js';
export { emptyStats, recordTry, UNIT_OUTCOMES, type SchemeStats, type TriedRegion, type UnitOutcome } from './stats.js';
