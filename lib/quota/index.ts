export { feedLoopNextInput, multFrac, ULONG_MAX } from './feed-loop.js';
export { GOAL_TUNERS, nextEszBp, type GoalTuner } from './goal-tuners.js';
export {
  adjustQuota,
  allowedBytes,
  charge,
  initialQuotaState,
  quotaExhausted,
  quotaIsSet,
  setEffectiveQuota,
  throughputBytesPerMs,
  windowDue,
  type QuotaSettings,
  type QuotaState,
} from './effective-quota.js';
export { GOAL_METRICS, goalScore, type Goal, type GoalMetric } from './goals.js';
export { hotScore, MAX_SCORE, minScore, scoreHistogram, type ScoreWeights } from './priority.js';
export { freeMemRate, nextWatermarkState, type WatermarkSettings } from './watermarks.js';
