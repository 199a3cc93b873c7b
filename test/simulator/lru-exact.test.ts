// Differential test of the TLB arrays' replacement: one L1 array of a random shape (narrow sets
// of 1-16 ways, wide sets of 17-96 ways, fully associative or not, power-of-two set counts or
// not), no L2, and random page streams with unmaps and remaps between them. Every L1 hit and
// miss must match a plain exact-LRU model, whichever internal layout the shape selects.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TlbSimulator } from '../../lib/index.js';

const BASE = 1n << 40n;
const PAGES = 600;

class LruModel {
  readonly sets: number[][]; // per set, pages most recent first

  constructor(
    readonly setCount: number,
    readonly ways: number,
  ) {
    this.sets = Array.from({ length: setCount }, () => []);
  }

  /** True on a hit; a miss fills (evicting the least recently used page of the set). */
  access(page: number): boolean {
    const set = this.sets[(Number(BASE >> 12n) + page) % this.setCount]!;
    const at = set.indexOf(page);
    if (at >= 0) {
      set.splice(at, 1);
      set.unshift(page);
      return true;
    }
    set.unshift(page);
    if (set.length > this.ways) set.pop();
    return false;
  }

  drop(first: number, count: number): void {
    for (const set of this.sets) {
      for (let i = set.length - 1; i >= 0; i--) {
        if (set[i]! >= first && set[i]! < first + count) set.splice(i, 1);
      }
    }
  }
}

const shapeArb = fc.oneof(
  fc.record({ sets: fc.integer({ min: 1, max: 12 }), ways: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ sets: fc.integer({ min: 1, max: 3 }), ways: fc.integer({ min: 17, max: 96 }) }),
);
type Op = { op: 'access'; pages: number[] } | { op: 'unmap'; first: number; count: number };
// Streams over a window of up to twice the largest capacity, so pages are often reused while
// cached and the replacement order decides hits (uniform picks over all pages rarely hit).
const streamArb = fc
  .record({ start: fc.integer({ min: 0, max: PAGES - 1 }), span: fc.integer({ min: 1, max: 200 }), picks: fc.array(fc.nat(), { minLength: 50, maxLength: 600, size: 'max' }) })
  .map(({ start, span, picks }) => picks.map((k) => (start + (k % span)) % PAGES));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('access' as const), pages: streamArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('unmap' as const), first: fc.integer({ min: 0, max: PAGES - 1 }), count: fc.integer({ min: 1, max: 64 }) }) },
);

describe('TLB array replacement is exact LRU', () => {
  it('matches a reference model for random shapes, streams and unmaps', () => {
    fc.assert(
      fc.property(shapeArb, fc.array(opArb, { minLength: 1, maxLength: 12 }), ({ sets, ways }, ops) => {
        const entries = sets * ways;
        const sim = new TlbSimulator({
          nested: false,
          overrides: {
            l1: [{ entries, ways: sets === 1 ? 0 : ways, sizes: ['4k'] }],
            l2: [{ entries: 0, ways: 0, sizes: ['4k'] }],
          },
        });
        sim.map(BASE, PAGES * 4096, '4k');
        const model = new LruModel(sets, ways);
        let hits = 0;
        let misses = 0;
        for (const o of ops) {
          if (o.op === 'unmap') {
            // Unmapping invalidates the range's entries; map it again so later accesses fill.
            const count = Math.min(o.count, PAGES - o.first);
            sim.unmap(BASE + BigInt(o.first) * 4096n, count * 4096);
            sim.map(BASE + BigInt(o.first) * 4096n, count * 4096, '4k');
            model.drop(o.first, count);
            continue;
          }
          sim.access(BigUint64Array.from(o.pages, (p) => BASE + BigInt(p) * 4096n + 8n));
          for (const p of o.pages) {
            if (model.access(p)) hits++;
            else misses++;
          }
        }
        const s = sim.stats();
        expect({ hits: s.l1.hits['4k'], misses: s.l1.misses['4k'] }).toEqual({ hits, misses });
        expect(s.l1.reach.entriesValid).toBe(model.sets.reduce((n, set) => n + set.length, 0));
      }),
      { numRuns: 150 },
    );
  });
});
