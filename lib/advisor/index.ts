export { advise, formatAdvice, formatCalibration, modelNs, MODEL_DEFAULTS, type HugePageAdvice, type AdviseOptions, type LayoutPrediction, type TimeModel } from './advise.js';
export { calibrate, PRESET_CYCLES_PER_NS, type Calibration, type CalibrationOptions, type ProbeSize, type SimulatedMachine } from './calibration.js';
export { accessDistribution, accessRate, type AccessDistribution, type AccessRate, type UnitAccess } from './distribution.js';
