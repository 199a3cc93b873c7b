// Collapse and split keep every translation, Accessed/Dirty follow the x86 and kernel rules,
// and bloat accounting is exact.
import { describe, expect, it } from 'vitest';
import { TlbSimulator } from '../../lib/index.js';

const BASE = 1n << 40n;
const PAGE = 4096n;
const HUGE = 2n ** 21n;

function nativeSim(): TlbSimulator {
  return new TlbSimulator({ preset: 'zen4-vm', nested: false });
}

describe('collapse and split', () => {
  it('collapses only with at most max_ptes_none absent PTEs, and counts the fill as bloat', () => {
    const sim = nativeSim();
    sim.map(BASE, 2 ** 21, '4k');
    const holes = [3n, 100n, 101n, 511n];
    for (const h of holes) sim.unmap(BASE + h * PAGE, 4096);
    expect(sim.stats().memory.residentBytes).toBe((512 - holes.length) * 4096);
    expect(sim.collapse(BASE, { maxPtesNone: 3 })).toEqual({ status: 'too-many-none', nonePtes: 4, filledPages: 0 });
    expect(sim.lookup(BASE)?.pageSize).toBe('4k');
    expect(sim.collapse(BASE, { maxPtesNone: 4 })).toEqual({ status: 'collapsed', nonePtes: 4, filledPages: 4 });
    const mem = sim.stats().memory;
    expect(mem.residentBytes).toBe(2 ** 21);
    expect(mem.bloatBytes).toBe(4 * 4096);
    expect(sim.collapse(BASE)).toMatchObject({ status: 'already-huge' });
    expect(sim.collapse(BASE + HUGE)).toMatchObject({ status: 'empty' });
    expect(sim.collapse(BASE + PAGE)).toMatchObject({ status: 'unaligned' });
  });

  it('keeps every translation: collapse maps all 512 pages into one 2 MiB frame, split keeps that frame', () => {
    const sim = nativeSim();
    sim.map(BASE, 2 ** 21, '4k');
    sim.unmap(BASE + 7n * PAGE, 4096);
    sim.collapse(BASE, { maxPtesNone: 511 });
    const huge = sim.lookup(BASE);
    expect(huge?.pageSize).toBe('2m');
    const frame = huge?.physBase ?? -1n;
    expect(frame % HUGE).toBe(0n);
    for (let i = 0n; i < 512n; i++) {
      const t = sim.lookup(BASE + i * PAGE + 8n);
      expect(t?.pageSize).toBe('2m');
      expect(t?.physBase).toBe(frame);
    }
    expect(sim.split(BASE + 5n)).toBe(true);
    for (let i = 0n; i < 512n; i++) {
      const t = sim.lookup(BASE + i * PAGE);
      expect(t?.pageSize).toBe('4k');
      expect(t?.physBase).toBe(frame + i * PAGE);
    }
    expect(sim.split(BASE)).toBe(false);
    expect(sim.mappedRanges()).toEqual([{ start: BASE, length: 2 ** 21, pageSize: '4k' }]);
  });

  it('bloat stays exact through split and partial unmaps', () => {
    const sim = nativeSim();
    sim.map(BASE, 2 ** 21, '4k');
    sim.unmap(BASE + 10n * PAGE, 3 * 4096); // pages 10, 11, 12 absent
    sim.collapse(BASE, { maxPtesNone: 511 });
    expect(sim.stats().memory.bloatBytes).toBe(3 * 4096);
    sim.split(BASE);
    expect(sim.stats().memory.bloatBytes).toBe(3 * 4096);
    sim.unmap(BASE + 11n * PAGE, 4096); // a zero-filled page goes
    expect(sim.stats().memory.bloatBytes).toBe(2 * 4096);
    sim.unmap(BASE + 100n * PAGE, 4096); // a real page goes: bloat unchanged
    expect(sim.stats().memory.bloatBytes).toBe(2 * 4096);
    // Re-collapse: 2 absent (11 and 100) plus the 2 still zero-filled.
    expect(sim.collapse(BASE, { maxPtesNone: 511 })).toMatchObject({ status: 'collapsed', filledPages: 2 });
    expect(sim.stats().memory.bloatBytes).toBe(4 * 4096);
    // Unmapping part of the huge page splits it; the zero-filled pages inside go with it.
    sim.unmap(BASE, 64 * 4096);
    expect(sim.stats().memory).toMatchObject({ bloatBytes: 1 * 4096, residentBytes: (512 - 64) * 4096 });
    sim.unmap(BASE, 2 ** 21);
    expect(sim.stats().memory).toMatchObject({ bloatBytes: 0, residentBytes: 0 });
  });
});

describe('Accessed and Dirty bits', () => {
  it('a walk sets A, a write sets D; test-and-clear returns the old bit', () => {
    const sim = nativeSim();
    sim.map(BASE, 2 ** 21, '4k');
    expect(sim.lookup(BASE)).toMatchObject({ accessed: false, dirty: false });
    sim.access(new BigUint64Array([BASE]));
    expect(sim.lookup(BASE)).toMatchObject({ accessed: true, dirty: false });
    expect(sim.lookup(BASE + PAGE)).toMatchObject({ accessed: false });
    sim.access(new BigUint64Array([BASE]), true);
    expect(sim.lookup(BASE)).toMatchObject({ accessed: true, dirty: true });
    expect(sim.stats().dirtyAssists).toBe(1);
    expect(sim.testAndClearAccessed(BASE)).toBe(true);
    expect(sim.testAndClearAccessed(BASE)).toBe(false);
    expect(sim.testAndClearDirty(BASE)).toBe(true);
    expect(sim.testAndClearDirty(BASE)).toBe(false);
    expect(sim.testAndClearAccessed(BASE + HUGE)).toBe(false);
  });

  it('without a TLB flush a cached translation is used without setting A again (DAMON blind spot); with one it is', () => {
    const sim = nativeSim();
    sim.map(BASE, 2 ** 21, '4k');
    sim.access(new BigUint64Array([BASE]));
    sim.testAndClearAccessed(BASE);
    sim.access(new BigUint64Array([BASE]));
    expect(sim.lookup(BASE)?.accessed).toBe(false);
    sim.testAndClearAccessed(BASE, { flush: true });
    sim.access(new BigUint64Array([BASE]));
    expect(sim.lookup(BASE)?.accessed).toBe(true);
  });

  it('a write through a clean cached entry walks once to set D (dirty assist)', () => {
    const sim = nativeSim();
    sim.map(BASE, 2 ** 21, '4k');
    sim.access(new BigUint64Array([BASE]));
    const before = sim.stats().walks.walks;
    sim.access(new BigUint64Array([BASE, BASE + 8n]), true);
    const s = sim.stats();
    expect(s.walks.walks - before).toBe(1);
    expect(s.dirtyAssists).toBe(1);
    expect(sim.lookup(BASE)?.dirty).toBe(true);
  });

  it('test-and-clear works on the covering leaf of any size (PTE, PMD, PUD)', () => {
    const sim = nativeSim();
    sim.map(BASE, 2 ** 30, '1g');
    sim.map(BASE + 2n ** 30n, 2 ** 21, '2m');
    sim.access(new BigUint64Array([BASE + 123456789n, BASE + 2n ** 30n + 99n]));
    expect(sim.testAndClearAccessed(BASE + 5n)).toBe(true);
    expect(sim.testAndClearAccessed(BASE + 2n ** 30n + 2n ** 20n)).toBe(true);
    expect(sim.lookup(BASE + 777n)).toMatchObject({ pageSize: '1g', accessed: false });
  });

  it('collapse makes the PMD young if any PTE was young and dirty (collapse_huge_page); split hands both to every PTE', () => {
    const sim = nativeSim();
    sim.map(BASE, 2 ** 21, '4k');
    sim.access(new BigUint64Array([BASE + 50n * PAGE]));
    sim.collapse(BASE);
    expect(sim.lookup(BASE)).toMatchObject({ pageSize: '2m', accessed: true, dirty: true });
    sim.testAndClearAccessed(BASE, { flush: true });
    sim.split(BASE);
    expect(sim.lookup(BASE + 300n * PAGE)).toMatchObject({ pageSize: '4k', accessed: false, dirty: true });
  });
});
