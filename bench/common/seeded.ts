// Seeded pseudo-random choices for benchmark workloads. Every configuration of a benchmark runs
// in its own process; the same seed gives each of them the same data and the same sequence of
// operations, so their throughputs compare the memory layout and not the luck of the draw.

/** xorshift32 (Marsaglia, "Xorshift RNGs", 2003): period 2^32 - 1, a few instructions per draw. */
export class SeededRandom {
  #x: number;

  constructor(seed: number) {
    // The all-zero state is the one state xorshift never leaves.
    this.#x = seed >>> 0 || 0x9e3779b9;
  }

  /** An integer in [0, 2^32). */
  u32(): number {
    let x = this.#x;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#x = x >>> 0;
    return this.#x;
  }

  /** A number in [0, 1) with 32 random bits. */
  float(): number {
    return this.u32() / 2 ** 32;
  }

  /** An integer in [0, n), for n up to 2^32. */
  below(n: number): number {
    return Math.floor(this.float() * n);
  }
}

/**
 * The hot part of every third-party workload: this share of the operations goes to the first
 * `HOT_FRACTION` of the data (keys, rows, or the matching part of space), the rest spreads over
 * the other items. One setting for all of them, so that their hot sets are comparable. A
 * quarter of the data at full scale is 100-250 MiB: ten to twenty times the 12 MiB that the
 * build machine's 3072-entry L2 TLB reaches with 4 KiB pages, and 50 to 125 of its entries with
 * 2 MiB pages (docs/measured-facts.md). The other three quarters stay cold enough for a tuner
 * that collapses only the hot part to leave them on 4 KiB pages.
 */
export const HOT_FRACTION = 1 / 4;
export const HOT_SHARE = 0.9;

/** An index in [0, n): with probability HOT_SHARE among the first ceil(n * HOT_FRACTION), otherwise among the rest. */
export function hotColdIndex(rng: SeededRandom, n: number): number {
  const hot = Math.ceil(n * HOT_FRACTION);
  return rng.float() < HOT_SHARE ? rng.below(hot) : hot + rng.below(n - hot);
}
