// Residency through PAGEMAP_SCAN and through plain pagemap reads must agree on real memory.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allocAligned, madvise, pageGeometry, residency } from '../../lib/memory/index.js';

const MiB = 1024 * 1024;

describe('residency', () => {
  it('counts resident pages per unit, the same by both methods', async (ctx) => {
    if (!pageGeometry().pagemapScan) {
      console.warn('skipping: this kernel lacks PAGEMAP_SCAN (Linux 6.7+)');
      return ctx.skip();
    }
    const buffer = allocAligned(8 * MiB);
    await madvise(buffer, 'nohugepage');
    const bytes = new Uint8Array(buffer);
    const touched = [0, 1, 37, 512];
    for (let unit = 0; unit < 4; unit++) {
      for (let page = 0; page < touched[unit]!; page++) bytes[unit * 2 * MiB + page * 4096 + 7] = 9;
    }
    const scanned = await residency(buffer, { method: 'pagemap-scan' });
    const read = await residency(buffer, { method: 'pagemap' });
    expect(scanned.map((u) => u.residentPages)).toEqual(touched);
    expect(read.map((u) => u.residentPages)).toEqual(touched);
    expect(scanned.every((u) => u.pmdMapped === false)).toBe(true);
    expect(read.every((u) => u.pmdMapped === null)).toBe(true);
  });

  it('sees huge pages faulted in under MADV_HUGEPAGE as PMD-mapped', async (ctx) => {
    const enabled = readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8');
    if (/\[never\]/.test(enabled)) {
      console.warn('skipping: THP is disabled system-wide ([never]), so no fault makes a huge page');
      return ctx.skip();
    }
    const buffer = allocAligned(4 * MiB);
    await madvise(buffer, 'hugepage');
    await madvise(buffer, 'populate-write');
    const units = await residency(buffer);
    expect(units.map((u) => u.residentPages)).toEqual([512, 512]);
    // A THP fault falls back to base pages only when no free huge page can be found; with
    // 24 GiB mostly free that does not happen here, so expect both units to be huge.
    expect(units.map((u) => u.pmdMapped)).toEqual([true, true]);
    expect(new Uint8Array(buffer).every((b) => b === 0)).toBe(true);
  });
});
