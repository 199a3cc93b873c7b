export { advise, formatAdvice, modelNs, MODEL_DEFAULTS, type HugePageAdvice, type AdviseOptions, type LayoutPrediction, type TimeModel } from './advise.js';
export { accessDistribution, type AccessDistribution, type UnitAccess } from './distribution.js';
