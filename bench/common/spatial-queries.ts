// Points and query boxes shared by the spatial-index workloads (kdbush: one typed array;
// rbush: JS objects), so that the two differ only in where the index keeps its data.
import { HOT_FRACTION, HOT_SHARE, SeededRandom } from './seeded.js';
import { opsFor } from './timed-loop.js';

export interface Box {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/**
 * x < 1/2 and y < 1/2: a quarter of the unit square (HOT_FRACTION). A k-d tree that splits at
 * medians on x, then y (kdbush) keeps the points of this region in the first quarter of its
 * arrays, so uniform points give a hot set that is one contiguous quarter of the index.
 */
const HOT = { maxX: 0.5, maxY: 0.5 };
if (HOT.maxX * HOT.maxY !== HOT_FRACTION) throw new Error('the hot region must cover HOT_FRACTION of the square');

export function inHotRegion(x: number, y: number): boolean {
  return x < HOT.maxX && y < HOT.maxY;
}

/** Calls `visit` for `n` points spread uniformly over the unit square, the same ones for the same seed. */
export function forEachPoint(seed: number, n: number, visit: (x: number, y: number, i: number) => void): void {
  const rng = new SeededRandom(seed);
  for (let i = 0; i < n; i++) visit(rng.float(), rng.float(), i);
}

/** Square query boxes around points drawn from the hot region with probability HOT_SHARE, elsewhere otherwise. */
export class BoxQueries {
  readonly #rng: SeededRandom;
  readonly #half: number;

  /** Boxes sized to hold `expected` of `n` uniform points on average (a "what is near here" lookup). */
  constructor(seed: number, n: number, expected = 4) {
    this.#rng = new SeededRandom(seed);
    this.#half = Math.sqrt(expected / n) / 2;
  }

  /** Fills `box` with the next query (reused, so that a query allocates nothing here). */
  next(box: Box): Box {
    const rng = this.#rng;
    let x: number;
    let y: number;
    if (rng.float() < HOT_SHARE) {
      x = rng.float() * HOT.maxX;
      y = rng.float() * HOT.maxY;
    } else {
      // Uniform over the rest of the square: 3 draws in 4 are accepted.
      do {
        x = rng.float();
        y = rng.float();
      } while (inHotRegion(x, y));
    }
    box.minX = x - this.#half;
    box.minY = y - this.#half;
    box.maxX = x + this.#half;
    box.maxY = y + this.#half;
    return box;
  }
}

/**
 * Runs `search` (the index's box query, returning how many points it found) on the next
 * queries for about `ms`; returns how many ran. `index` names the index in the error thrown
 * when no query found anything, which would mean the index is not being read.
 */
export function boxQueriesFor(ms: number, queries: BoxQueries, index: string, search: (box: Box) => number): number {
  const box: Box = { minX: 0, minY: 0, maxX: 0, maxY: 0 };
  return opsFor(ms, 64, () => search(queries.next(box)), `${index}: no query found a point`);
}
