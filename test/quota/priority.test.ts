// Documentation/mm/damon/design.rst, "Quotas": hot score (damon_hot_score) and min_score from the histogram, by hand.
import { describe, expect, it } from 'vitest';
import { hotScore, minScore, scoreHistogram } from '../../lib/quota/index.js';

const w = { nrAccesses: 1, age: 1 };
// 5 ms / 100 ms: max_nr_accesses 20.
describe('hotScore (Documentation/mm/damon/design.rst, "Quotas")', () => {
  it.each([
    // nr, age, weights, score: freq = nr×100/20; age_log = bits of age×0.1 s; age_sub = (log+32)×100/32/2
    [20, 0, w, 74], // (100 + 50)/2 = 75 → ×99/100 = 74
    [20, 100, w, 77], // 10 s → log 4 → 112/2 = 56; (100+56)/2 = 78 → 77
    [0, 100, w, 20], // idle: log −4 → 87/2 = 43; 43/2 = 21 → 20
    [0, 0, w, 24], // 50/2 = 25 → 24
    [1, 0, w, 26], // freq 5: 55/2 = 27 → 26
    [20, 0, { nrAccesses: 0, age: 0 }, 0],
    [20, 0, { nrAccesses: 1, age: 0 }, 99],
    [20, 2 ** 40, w, 99], // log capped at 32: age_sub 100
  ] as const)('nr %i age %i → %i', (nr, age, weights, score) => {
    expect(hotScore({ nrAccesses: nr, age }, 20, 100_000, weights)).toBe(score);
  });
});

describe('minScore (Documentation/mm/damon/design.rst, "Quotas")', () => {
  const MiB = 2 ** 20;
  const hist = scoreHistogram([
    { score: 90, bytes: 4 * MiB },
    { score: 50, bytes: 8 * MiB },
    { score: 10, bytes: 16 * MiB },
  ]);
  it.each([
    [10 * MiB, 50], // 4 MiB at 90, +8 at 50 = 12 ≥ 10
    [2 * MiB, 90],
    [4 * MiB, 90],
    [100 * MiB, 0], // never reached: down to 0
    [0, 90],
  ])('esz %i → %i', (esz, expected) => {
    expect(minScore(hist, BigInt(esz))).toBe(expected);
  });
});
