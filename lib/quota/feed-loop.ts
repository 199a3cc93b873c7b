// DAMON's aim-oriented feedback loop (Documentation/mm/damon/design.rst, "Aim-oriented Feedback-driven Auto-tuning" core.c damon_feed_loop_next_input),
// in 64-bit unsigned arithmetic as the kernel computes it, so inputs near ULONG_MAX behave
// exactly as they do there.

/** The kernel's `unsigned long` maximum on 64-bit machines. */
export const ULONG_MAX = (1n << 64n) - 1n;
/** The score that means "goal met exactly" (basis points). */
export const GOAL_SCORE = 10_000n;
/** The smallest input the loop returns. */
export const MIN_INPUT = 10_000n;

/**
 * The next input (an effective quota in bytes × 10000) from the last one and the score
 * (achieved / target, in basis points): unchanged at 10000, reset to the minimum at 20000 or
 * more, else moved by `last × |10000 − score| / 10000` towards the goal.
 */
export function feedLoopNextInput(lastInput: bigint, score: bigint): bigint {
  if (score === GOAL_SCORE) return lastInput;
  if (score >= GOAL_SCORE * 2n) return MIN_INPUT;
  const overAchieving = score > GOAL_SCORE;
  const diff = overAchieving ? score - GOAL_SCORE : GOAL_SCORE - score;
  // The kernel divides first when the product would overflow 64 bits.
  const compensation = lastInput < ULONG_MAX / diff ? (lastInput * diff) / GOAL_SCORE : (lastInput / GOAL_SCORE) * diff;
  if (overAchieving) {
    const next = lastInput - compensation;
    return next > MIN_INPUT ? next : MIN_INPUT;
  }
  return lastInput < ULONG_MAX - compensation ? lastInput + compensation : ULONG_MAX;
}

/** `x × numerator / denominator` without losing the high bits (the kernel's mult_frac). */
export function multFrac(x: bigint, numerator: bigint, denominator: bigint): bigint {
  return (x / denominator) * numerator + ((x % denominator) * numerator) / denominator;
}
