// Random operation sequences against a plain model of which 4 KiB pages are mapped, by which
// leaf size, and which are zero-filled bloat: the page table, its accounting and the TLBs (no
// stale translation may survive an unmap) must agree with the model after every step.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TlbSimulator, type MappedRange } from '../../lib/index.js';

const BASE = 1n << 40n;
const HUGES = 4;
const PAGES = HUGES * 512;

type Op =
  | { op: 'map4k'; page: number; n: number }
  | { op: 'map2m'; huge: number }
  | { op: 'unmap'; page: number; n: number }
  | { op: 'collapse'; huge: number; maxNone: number }
  | { op: 'split'; huge: number }
  | { op: 'access'; page: number; write: boolean }
  | { op: 'clear'; page: number; flush: boolean };

const page = fc.integer({ min: 0, max: PAGES - 1 });
const huge = fc.integer({ min: 0, max: HUGES - 1 });
// Accesses and clears use a few probe pages, so that they often hit pages the other operations
// just changed (that is where a stale TLB entry would show).
const probe = fc.integer({ min: 0, max: 15 }).map((k) => k * 128 + 5);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('map4k' as const), page, n: fc.integer({ min: 1, max: 700 }) }),
  fc.record({ op: fc.constant('map2m' as const), huge }),
  fc.record({ op: fc.constant('unmap' as const), page, n: fc.integer({ min: 1, max: 700 }) }),
  fc.record({ op: fc.constant('collapse' as const), huge, maxNone: fc.integer({ min: 0, max: 511 }) }),
  fc.record({ op: fc.constant('split' as const), huge }),
  fc.record({ op: fc.constant('access' as const), page: probe, write: fc.boolean() }),
  fc.record({ op: fc.constant('clear' as const), page: probe, flush: fc.boolean() }),
);

class Model {
  size = new Array<0 | 1 | 2>(PAGES).fill(0); // 0 unmapped, 1 = 4 KiB leaf, 2 = inside a 2 MiB leaf
  bloat = new Set<number>();
  faults = 0;

  range(first: number, n: number): number[] {
    return Array.from({ length: Math.min(n, PAGES - first) }, (_, i) => first + i);
  }

  ranges(): MappedRange[] {
    const out: MappedRange[] = [];
    for (let p = 0; p < PAGES;) {
      const s = this.size[p];
      if (s === 0) {
        p++;
        continue;
      }
      const step = s === 2 ? 512 : 1;
      const last = out[out.length - 1];
      const start = BASE + BigInt(p) * 4096n;
      const pageSize = s === 2 ? '2m' : '4k';
      if (last && last.pageSize === pageSize && last.start + BigInt(last.length) === start) last.length += step * 4096;
      else out.push({ start, length: step * 4096, pageSize });
      p += step;
    }
    return out;
  }
}

function apply(sim: TlbSimulator, m: Model, o: Op): void {
  const addr = (p: number): bigint => BASE + BigInt(p) * 4096n;
  switch (o.op) {
    case 'map4k': {
      const pages = m.range(o.page, o.n);
      const free = pages.every((p) => m.size[p] === 0);
      if (free) {
        sim.map(addr(o.page), pages.length * 4096, '4k');
        for (const p of pages) m.size[p] = 1;
      } else {
        expect(() => sim.map(addr(o.page), pages.length * 4096, '4k')).toThrow(/nothing mapped/);
      }
      break;
    }
    case 'map2m': {
      const pages = m.range(o.huge * 512, 512);
      if (pages.every((p) => m.size[p] === 0)) {
        sim.map(addr(o.huge * 512), 2 ** 21, '2m');
        for (const p of pages) m.size[p] = 2;
      } else {
        expect(() => sim.map(addr(o.huge * 512), 2 ** 21, '2m')).toThrow(/nothing mapped/);
      }
      break;
    }
    case 'unmap': {
      const pages = m.range(o.page, o.n);
      let expected = 0;
      for (const p of pages) {
        if (m.size[p] === 2) {
          // A partly covered huge page is split first.
          for (const q of m.range(p - (p % 512), 512)) m.size[q] = 1;
        }
        if (m.size[p] !== 0) expected += 4096;
        m.size[p] = 0;
        m.bloat.delete(p);
      }
      expect(sim.unmap(addr(o.page), pages.length * 4096)).toBe(expected);
      break;
    }
    case 'collapse': {
      const pages = m.range(o.huge * 512, 512);
      const none = pages.filter((p) => m.size[p] === 0).length;
      const r = sim.collapse(addr(o.huge * 512), { maxPtesNone: o.maxNone });
      if (pages.some((p) => m.size[p] === 2)) expect(r.status).toBe('already-huge');
      else if (none === 512) expect(r.status).toBe('empty');
      else if (none > o.maxNone) expect(r.status).toBe('too-many-none');
      else {
        expect(r).toEqual({ status: 'collapsed', nonePtes: none, filledPages: none });
        for (const p of pages) {
          if (m.size[p] === 0) m.bloat.add(p);
          m.size[p] = 2;
        }
      }
      break;
    }
    case 'split': {
      const first = o.huge * 512;
      const isHuge = m.size[first] === 2;
      expect(sim.split(addr(first) + 12345n)).toBe(isHuge);
      if (isHuge) for (const p of m.range(first, 512)) m.size[p] = 1;
      break;
    }
    case 'access': {
      sim.access(new BigUint64Array([addr(o.page) + 8n]), o.write);
      if (m.size[o.page] === 0) m.faults++;
      break;
    }
    case 'clear': {
      const r = sim.testAndClearAccessed(addr(o.page), { flush: o.flush });
      if (m.size[o.page] === 0) expect(r).toBe(false);
      break;
    }
  }
}

describe('random operation sequences', () => {
  it('page table, accounting and TLBs stay consistent with the model', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 10, maxLength: 60, size: 'max' }), (ops) => {
        const sim = new TlbSimulator({ preset: 'zen4-vm', nested: false });
        const m = new Model();
        for (const o of ops) {
          apply(sim, m, o);
          const s = sim.stats();
          expect(s.faults).toBe(m.faults);
          expect(s.memory.residentBytes).toBe(m.size.filter((x) => x !== 0).length * 4096);
          expect(s.memory.bloatBytes).toBe(m.bloat.size * 4096);
          expect(sim.mappedRanges()).toEqual(m.ranges());
        }
      }),
      { numRuns: 100, seed: 20261126 },
    );
  });

  it('the same operations under nested paging give the same translations and faults', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 10, maxLength: 40, size: 'max' }), (ops) => {
        const sim = new TlbSimulator({ preset: 'zen5', nested: { enabled: true, hostPageSize: '2m' } });
        const m = new Model();
        for (const o of ops) apply(sim, m, o);
        expect(sim.stats().faults).toBe(m.faults);
        expect(sim.mappedRanges()).toEqual(m.ranges());
      }),
      { numRuns: 40, seed: 7 },
    );
  });
});
