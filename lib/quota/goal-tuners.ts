// How the goal score moves the effective quota (Documentation/mm/damon/design.rst, "Aim-oriented Feedback-driven Auto-tuning" `goal_tuner`).
import { feedLoopNextInput, GOAL_SCORE, ULONG_MAX } from './feed-loop.js';

/**
 * - `consist` (the kernel's default): feedback towards the quota that keeps the goal met;
 *   never reaches zero.
 * - `temporal`: full throttle (the size quota, or unlimited) while the goal is not met, zero
 *   once it is: on/off control.
 */
export type GoalTuner = 'consist' | 'temporal';
export const GOAL_TUNERS: readonly GoalTuner[] = ['consist', 'temporal'];

/** The next esz_bp (effective size quota × 10000) for a score, from the last one. `sizeQuota` 0 = none. */
export function nextEszBp(tuner: GoalTuner, lastEszBp: bigint, score: bigint, sizeQuota: bigint): bigint {
  if (tuner === 'consist') return feedLoopNextInput(lastEszBp > 10_000n ? lastEszBp : 10_000n, score);
  if (score >= GOAL_SCORE) return 0n;
  return sizeQuota > 0n ? sizeQuota * 10_000n : ULONG_MAX;
}
