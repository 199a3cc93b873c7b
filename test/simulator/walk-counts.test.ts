// Exact walk reference counts for cold walks (no walk caches, no nested TLB), native and nested.
import { describe, expect, it } from 'vitest';
import { TlbSimulator, type PageSize } from '../../lib/index.js';

const NO_CACHES = { pde: { entries: 0 }, pdpte: { entries: 0 }, pml4: { entries: 0 }, pml5: { entries: 0 } };
const BASE = 1n << 40n;

function coldWalkRefs(levels: 4 | 5, guest: PageSize, nested: false | PageSize): number {
  const sim = new TlbSimulator({
    preset: 'zen4-vm',
    levels,
    nested: nested === false ? false : { enabled: true, hostPageSize: nested, hostLevels: 4, nestedTlb: { entries: 0 }, hostWalkCaches: NO_CACHES },
    overrides: { walkCaches: NO_CACHES },
  });
  sim.map(BASE, 2 ** 30, guest);
  sim.access(new BigUint64Array([BASE + 12345n]));
  const s = sim.stats();
  expect(s.walks.walks).toBe(1);
  return s.walks.refs;
}

describe('cold walk reference counts', () => {
  it.each([
    [4, '4k', 4],
    [5, '4k', 5],
    [4, '2m', 3],
    [5, '2m', 4],
    [4, '1g', 2],
    [5, '1g', 3],
  ] as const)('native %i-level with %s leaves: %i references', (levels, size, refs) => {
    expect(coldWalkRefs(levels, size, false)).toBe(refs);
  });

  it.each([
    ['4k', '4k', 24],
    ['2m', '2m', 15],
    ['4k', '2m', 19],
    ['2m', '4k', 19],
    ['1g', '2m', 11],
  ] as const)('nested 4+4 levels, guest %s host %s: %i references', (guest, host, refs) => {
    // G guest references each needing an H-reference host walk, plus the data page's host walk:
    // G*(H+1) + H.
    expect(coldWalkRefs(4, guest, host)).toBe(refs);
  });

  it('nested 5-level guest on a 4-level host with 4 KiB pages: 5*5 + 4 = 29 references', () => {
    expect(coldWalkRefs(5, '4k', '4k')).toBe(29);
  });

  it('walk caches let the second walk in the same 2 MiB region read only the PTE', () => {
    const sim = new TlbSimulator({ preset: 'haswell', nested: false });
    sim.map(BASE, 2 ** 21, '4k');
    sim.access(new BigUint64Array([BASE, BASE + 4096n]));
    const s = sim.stats();
    expect(s.walks.walks).toBe(2);
    expect(s.walks.refs).toBe(4 + 1);
    expect(s.walks.walkCaches.pde.hits).toBe(1);
  });

  it('a TLB hit makes no walk and an L2 hit refills L1', () => {
    const sim = new TlbSimulator({ preset: 'haswell', nested: false });
    sim.map(BASE, 2 ** 24, '4k');
    // Page 0, then 199 others (evicting it from the 64-entry L1 but not the 1024-entry L2), then page 0.
    const pages = Array.from({ length: 200 }, (_, i) => BASE + BigInt(i) * 4096n);
    sim.access(new BigUint64Array([...pages, BASE]));
    const s = sim.stats();
    expect(s.walks.walks).toBe(200);
    expect(s.l2.hits['4k']).toBe(1);
  });
});
