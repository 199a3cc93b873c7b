// Quota goals (Documentation/mm/damon/design.rst, "Aim-oriented Feedback-driven Auto-tuning"): a metric, a target value and the current value read at
// each window reset; the score is the highest current/target ratio, in basis points.
import { multFrac } from './feed-loop.js';

/**
 * - `hugepage_mem_bp`: huge-page bytes over anonymous bytes (the kernel RFC's metric),
 *   of the target process (`scope: 'process'`, default) or of the machine (`'system'`);
 * - `user_input`: the value last given to `feedback()` (the RFC's aggressiveness knob);
 * - `some_mem_psi_us`: memory "some" stall time of the machine over the last window, µs;
 * - `node_mem_used_bp` / `node_mem_free_bp`: used or free memory of NUMA node `nid`, bp.
 */
export type GoalMetric = 'hugepage_mem_bp' | 'user_input' | 'some_mem_psi_us' | 'node_mem_used_bp' | 'node_mem_free_bp';
export const GOAL_METRICS: readonly GoalMetric[] = ['hugepage_mem_bp', 'user_input', 'some_mem_psi_us', 'node_mem_used_bp', 'node_mem_free_bp'];

/**
 * A quota goal as the engine holds it: the target in the metric's kernel unit.
 *
 * @inline
 */
export interface Goal {
  metric: GoalMetric;
  /** Target value, in the metric's unit (bp or µs); never 0. */
  target: number;
  /** `hugepage_mem_bp` only. */
  scope?: 'process' | 'system';
  /** `node_mem_*` only: the node id. */
  nid?: number;
}

/** damos_quota_score: max over goals of current × 10000 / target (integer, as mult_frac). */
export function goalScore(goals: readonly Goal[], currentValues: readonly number[]): bigint {
  let best = 0n;
  goals.forEach((g, i) => {
    const current = BigInt(Math.max(0, Math.trunc(currentValues[i] ?? 0)));
    const score = multFrac(current, 10_000n, BigInt(g.target));
    if (score > best) best = score;
  });
  return best;
}
