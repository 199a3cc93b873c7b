import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../lib/errors.js';
import { parseMeminfo, parseMemoryPressure, parseVmstat, readMeminfo, readMemoryPressure, readVmstat } from '../../lib/procfs/index.js';
import { procfsFixture } from '../helpers/fixtures.js';

const KB = 1024;

describe('meminfo', () => {
  it('reads this machine: MemTotal matches the file, every size is in bytes', async () => {
    const fileTotal = Number(/^MemTotal:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1]);
    const meminfo = await readMeminfo();
    expect(meminfo.bytes['MemTotal']).toBe(fileTotal * KB);
    expect(meminfo.bytes['AnonPages']).toBeGreaterThan(0);
    expect(meminfo.bytes).toHaveProperty('AnonHugePages');
    expect(meminfo.counts).toHaveProperty('HugePages_Total');
    expect(meminfo.texts).toEqual({});
  });

  it('parses odd keys and sizes', () => {
    const meminfo = parseMeminfo(procfsFixture('meminfo-odd.txt'));
    expect(meminfo.bytes['Active(anon)']).toBe(1568768 * KB);
    expect(meminfo.bytes['VmallocTotal']).toBe(34359738367 * KB);
    expect(meminfo.counts).toEqual({ HugePages_Total: 0 });
  });

  it.each([
    ['a text value', 'MemTotal: lots\n'],
    ['a line without a key', '  123 kB\n'],
    ['a unit other than kB', 'MemTotal: 12 MB\n'],
  ])('rejects %s with FormatError', (_what, text) => {
    expect(() => parseMeminfo(text)).toThrow(FormatError);
    expect(() => parseMeminfo(text)).toThrow(/^\/proc\/meminfo text is malformed: meminfo line 1 is malformed/);
  });
});

describe('vmstat', () => {
  it('reads the THP and compaction counters of this machine', async () => {
    const vmstat = await readVmstat();
    const file = readFileSync('/proc/vmstat', 'utf8');
    const fileThp = file
      .split('\n')
      .filter((l) => l.startsWith('thp_'))
      .map((l) => l.split(' ')[0]);
    expect(
      Object.keys(vmstat.thp)
        .filter((k) => k.startsWith('thp_'))
        .sort(),
    ).toEqual(fileThp.sort());
    expect(vmstat.thp).toHaveProperty('nr_anon_transparent_hugepages');
    expect(vmstat.compaction).toHaveProperty('compact_stall');
    expect(Object.keys(vmstat.compaction).every((k) => k.startsWith('compact_'))).toBe(true);
    expect(vmstat.inexact).toEqual([]);
  });

  it('counters never decrease between two reads', async () => {
    const first = await readVmstat();
    const second = await readVmstat();
    for (const name of ['thp_fault_alloc', 'thp_collapse_alloc', 'compact_stall']) {
      expect(second.thp[name] ?? second.compaction[name]).toBeGreaterThanOrEqual((first.thp[name] ?? first.compaction[name])!);
    }
  });

  it('keeps the THP selection, keeps big counts exact and flags counts above 2^53', () => {
    const vmstat = parseVmstat(procfsFixture('vmstat-odd.txt'));
    expect(vmstat.thp).toEqual({
      nr_anon_transparent_hugepages: 10240,
      thp_fault_alloc: 123456789012,
      thp_collapse_alloc: 0,
      thp_split_pmd: 3,
    });
    expect(vmstat.compaction).toEqual({ compact_stall: 12, compact_success: 9007199254740992 });
    // The wrapped-around gauge is not a THP counter and is left out of `inexact` too.
    expect(vmstat.inexact).toEqual(['compact_success']);
  });

  it.each([
    ['a value that is not a number', 'thp_fault_alloc many\n', /vmstat line 1 is not "name value"/],
    ['a missing value', 'nr_free_pages 1\nthp_fault_alloc\n', /vmstat line 2/],
    ['a value beyond 64 bits', 'thp_fault_alloc 18446744073709551616\n', /vmstat line 1/],
  ])('rejects %s with FormatError', (_what, text, message) => {
    expect(() => parseVmstat(text)).toThrow(FormatError);
    expect(() => parseVmstat(text)).toThrow(message);
  });
});

describe('memory pressure (PSI)', () => {
  const psiAvailable = (() => {
    try {
      readFileSync('/proc/pressure/memory', 'utf8');
      return true;
    } catch (error) {
      console.log(`skipping the live PSI test: /proc/pressure/memory cannot be read (${(error as Error).message})`);
      return false;
    }
  })();

  it.skipIf(!psiAvailable)('reads some and full lines of this machine', async () => {
    const pressure = await readMemoryPressure();
    for (const line of [pressure.some!, pressure.full!]) {
      expect(line.avg10).toBeGreaterThanOrEqual(0);
      expect(line.avg10).toBeLessThanOrEqual(100);
      expect(Number.isInteger(line.totalMicros)).toBe(true);
    }
  });

  it('parses averages and totals, and a file without a full line', () => {
    expect(parseMemoryPressure(procfsFixture('pressure-memory-busy.txt'))).toEqual({
      some: { avg10: 12.5, avg60: 3.07, avg300: 0.81, totalMicros: 987654321012 },
      full: { avg10: 1, avg60: 0.25, avg300: 0.05, totalMicros: 12345678 },
    });
    expect(parseMemoryPressure(procfsFixture('pressure-memory-some-only.txt'))).toEqual({
      some: { avg10: 0, avg60: 0, avg300: 0, totalMicros: 0 },
      full: undefined,
    });
  });

  it.each([
    ['an unknown kind', 'most avg10=0.00 avg60=0.00 avg300=0.00 total=0\n'],
    ['a repeated line', 'some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nsome avg10=0.00 avg60=0.00 avg300=0.00 total=0\n'],
    ['a missing total', 'some avg10=0.00 avg60=0.00 avg300=0.00\n'],
    ['a negative average', 'some avg10=-1.00 avg60=0.00 avg300=0.00 total=0\n'],
    ['fields out of order', 'some avg60=0.00 avg10=0.00 avg300=0.00 total=0\n'],
  ])('rejects %s with FormatError', (_what, text) => {
    expect(() => parseMemoryPressure(text)).toThrow(FormatError);
    expect(() => parseMemoryPressure(text)).toThrow(/pressure line \d is malformed/);
  });
});
