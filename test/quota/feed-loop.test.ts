// Documentation/mm/damon/design.rst, "Aim-oriented Feedback-driven Auto-tuning": feed_loop_next_input, hand-computed. ULONG_MAX = 18446744073709551615.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { feedLoopNextInput, multFrac, nextEszBp, ULONG_MAX } from '../../lib/quota/index.js';
import { nativeBinding } from '../../lib/native/binding.js';

describe('feedLoopNextInput (Documentation/mm/damon/design.rst, "Aim-oriented Feedback-driven Auto-tuning")', () => {
  // [last, score, next]: next = last ± last × |10000 − score| / 10000, ≥ 10000, reset at ≥ 20000.
  const table: [bigint, bigint, bigint][] = [
    [10000n, 0n, 20000n],
    [10000n, 5000n, 15000n],
    [10000n, 9999n, 10001n],
    [10000n, 10000n, 10000n],
    [10000n, 15000n, 10000n], // 10000 − 5000 = 5000, floored to the minimum input 10000
    [10000n, 20000n, 10000n],
    [10000n, 40000n, 10000n],
    [1_000_000n, 0n, 2_000_000n],
    [1_000_000n, 5000n, 1_500_000n],
    [1_000_000n, 9999n, 1_000_100n],
    [1_000_000n, 10000n, 1_000_000n],
    [1_000_000n, 15000n, 500_000n],
    [1_000_000n, 20000n, 10000n],
    [1_000_000n, 40000n, 10000n],
    [0n, 15000n, 10000n],
    [0n, 5000n, 0n],
    // Near the top: ULONG_MAX ≥ ULONG_MAX / 10000, so compensation = ULONG_MAX / 10000 × 10000
    // = 18446744073709550000; last + that overflows ⇒ ULONG_MAX.
    [ULONG_MAX, 0n, ULONG_MAX],
    [ULONG_MAX, 9999n, ULONG_MAX],
    // diff 5000: ULONG_MAX ≥ ULONG_MAX / 5000 ⇒ comp = 1844674407370955 × 5000 = 9223372036854775000.
    [ULONG_MAX, 15000n, 9223372036854776615n],
    // 2^63, diff 1: comp = 9223372036854775808 / 10000 = 922337203685477.
    [1n << 63n, 9999n, 9224294374058461285n],
    // ULONG_MAX − 1, score 5000: comp = 1844674407370955 × 5000 (divide-first branch) overflows ⇒ ULONG_MAX.
    [ULONG_MAX - 1n, 5000n, ULONG_MAX],
  ];
  it.each(table)('last %s, score %s → %s', (last, score, next) => {
    expect(feedLoopNextInput(last, score)).toBe(next);
  });

  it('agrees with the monitor core’s C++ loop (used for interval tuning) below 2^40', () => {
    const native = nativeBinding().monitorFormulas;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 50_000 }), (last, score) => {
        expect(feedLoopNextInput(BigInt(last), BigInt(score))).toBe(BigInt(native.feedLoopNextInput(last, score)));
      }),
      { numRuns: 500 },
    );
  });

  it('multFrac keeps the high bits', () => {
    expect(multFrac(ULONG_MAX, 10000n, 20000n)).toBe(ULONG_MAX / 2n);
    expect(multFrac(7n, 3n, 2n)).toBe(10n);
  });
});

describe('goal tuners (Documentation/mm/damon/design.rst, "Aim-oriented Feedback-driven Auto-tuning")', () => {
  it('consist feeds max(esz_bp, 10000) to the loop', () => {
    expect(nextEszBp('consist', 0n, 0n, 0n)).toBe(20000n);
    expect(nextEszBp('consist', 40000n, 15000n, 0n)).toBe(20000n);
    expect(nextEszBp('consist', 40000n, 10000n, 0n)).toBe(40000n);
  });
  it('temporal is on/off: size quota × 10000 (or ULONG_MAX) below the goal, 0 at or above it', () => {
    expect(nextEszBp('temporal', 123n, 9999n, 128n * 2n ** 20n)).toBe(128n * 2n ** 20n * 10000n);
    expect(nextEszBp('temporal', 123n, 9999n, 0n)).toBe(ULONG_MAX);
    expect(nextEszBp('temporal', 123n, 10000n, 128n)).toBe(0n);
    expect(nextEszBp('temporal', 123n, 40000n, 0n)).toBe(0n);
  });
});
