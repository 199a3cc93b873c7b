// readAnonymousMappings: the tuner's view of a process's anonymous memory, reduced natively
// from smaps. VMAs split at 2 MiB boundaries without a change that matters to collapse are
// one mapping; a change of collapsibility is a boundary; file and special mappings are left out.
import { describe, expect, it } from 'vitest';
import { addressOf, allocAligned, madvise } from '../../lib/index.js';
import { readAnonymousMappings } from '../../lib/procfs/anonymous-mappings.js';
import { readMaps, readSmaps } from '../../lib/procfs/index.js';
import { NoSuchProcessError } from '../../lib/errors.js';
import { unusedPid } from '../helpers/processes.js';

const UNIT = 2n ** 21n;
const linux = process.platform === 'linux';
if (!linux) console.log('readAnonymousMappings test skipped: /proc exists on Linux only');

describe.skipIf(!linux)('readAnonymousMappings', () => {
  it('takes VMAs split at unit boundaries as one mapping, and ends one where collapsibility changes', async () => {
    const buffer = allocAligned(16 * 2 ** 20);
    new Uint8Array(buffer).fill(1);
    const start = addressOf(buffer);
    const unit = (i: number) => ({ address: start + BigInt(i) * UNIT, length: Number(UNIT) });
    // MADV_HUGEPAGE on units 1 and 5 splits the buffer into VMAs; collapse works on all of them.
    await madvise(unit(1), 'hugepage');
    await madvise(unit(5), 'hugepage');
    const split = (await readSmaps()).filter((v) => v.start < start + 8n * UNIT && v.end > start);
    expect(split.length).toBeGreaterThanOrEqual(5);
    const containing = (mappings: Awaited<ReturnType<typeof readAnonymousMappings>>, a: bigint) => mappings.filter((m) => m.start <= a && m.end > a);
    let mappings = await readAnonymousMappings();
    const whole = containing(mappings, start);
    expect(whole).toHaveLength(1);
    expect(whole[0]!.end).toBeGreaterThanOrEqual(start + 8n * UNIT);
    expect(whole[0]!.collapsible).toBe(true);
    expect(whole[0]!.anonymousBytes).toBeGreaterThanOrEqual(16 * 2 ** 20);

    // MADV_NOHUGEPAGE on units 2-3: collapse cannot work there, so they are a mapping of their own.
    await madvise({ address: start + 2n * UNIT, length: Number(2n * UNIT) }, 'nohugepage');
    mappings = await readAnonymousMappings();
    expect(containing(mappings, start)[0]!.end).toBe(start + 2n * UNIT);
    const refused = containing(mappings, start + 2n * UNIT);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ start: start + 2n * UNIT, end: start + 4n * UNIT, collapsible: false });
    expect(refused[0]!.anonymousBytes).toBe(Number(2n * UNIT));
    const after = containing(mappings, start + 4n * UNIT);
    expect(after[0]!.start).toBe(start + 4n * UNIT);
    expect(after[0]!.collapsible).toBe(true);

    // Mappings are sorted, disjoint, and none is a file mapping or the stack.
    const maps = await readMaps();
    const excluded = maps.filter((v) => v.inode !== 0n || v.pathname === '[stack]' || v.pathname === '[vdso]');
    expect(excluded.length).toBeGreaterThan(0);
    for (let i = 0; i < mappings.length; i++) {
      const m = mappings[i]!;
      expect(m.end).toBeGreaterThan(m.start);
      if (i > 0) expect(m.start).toBeGreaterThanOrEqual(mappings[i - 1]!.end);
      for (const v of excluded) expect(m.start < v.end && m.end > v.start).toBe(false);
    }
    expect(new Uint8Array(buffer).every((b) => b === 1)).toBe(true);
  });

  it('names a process that does not exist', async () => {
    await expect(readAnonymousMappings(await unusedPid())).rejects.toThrow(NoSuchProcessError);
  });
});
