import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError, InvalidArgumentError, NoSuchProcessError } from '../../lib/errors.js';
import { parseSmaps, parseSmapsRollup, readMaps, readSmaps, readSmapsRollup } from '../../lib/procfs/index.js';
import { procfsFixture } from '../helpers/fixtures.js';
import { startSleeper, startZombieParent, stopChild, unusedPid } from '../helpers/processes.js';

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('readSmaps / readSmapsRollup on real processes', () => {
  let sleeper: Awaited<ReturnType<typeof startSleeper>>;
  beforeAll(async () => {
    sleeper = await startSleeper();
  });
  afterAll(async () => {
    await stopChild(sleeper);
  });

  it('reads every VMA of a sleeping child, agreeing with its maps and with parsing the file', async () => {
    // Pss and the Shared_* figures of library pages move whenever another process maps or
    // unmaps the same files, so the comparison uses a read with the same text before and after.
    const stableRead = async () => {
      for (let attempt = 0; attempt < 50; attempt++) {
        const before = readFileSync(`/proc/${sleeper.pid}/smaps`, 'utf8');
        const read = await readSmaps(sleeper.pid);
        if (readFileSync(`/proc/${sleeper.pid}/smaps`, 'utf8') === before) return { text: before, vmas: read };
      }
      throw new Error("the sleeping child's smaps never held still for one read");
    };
    const { text, vmas } = await stableRead();
    expect(vmas).toEqual(parseSmaps(text));
    const maps = await readMaps(sleeper.pid);
    expect(vmas.map((v) => [v.start, v.end, v.pathname])).toEqual(maps.map((v) => [v.start, v.end, v.pathname]));
    for (const vma of vmas) {
      expect(vma.bytes['Size']).toBe(Number(vma.end - vma.start));
      expect(vma.rss).toBe(vma.bytes['Rss']);
      for (const flag of vma.vmFlags) expect(flag).toMatch(/^[a-z0-9]{2}$/);
      expect(typeof vma.thpEligible).toBe('boolean');
    }
  });

  it('rollup sums equal the per-VMA sums of the same quiet process', async () => {
    const [vmas, rollup] = await Promise.all([readSmaps(sleeper.pid), readSmapsRollup(sleeper.pid)]);
    for (const key of ['Rss', 'Anonymous', 'AnonHugePages', 'Private_Dirty', 'Swap']) {
      expect(rollup.bytes[key], key).toBe(sum(vmas.map((v) => v.bytes[key] ?? 0)));
    }
    expect(rollup.start).toBe(vmas[0]!.start);
    expect(rollup.anonymous).toBe(rollup.bytes['Anonymous']);
  });

  it('reads this process: the node binary is not THP-eligible file text, its heap VMAs list their flags', async () => {
    const vmas = await readSmaps();
    expect(vmas.length).toBeGreaterThan(10);
    expect(vmas.some((v) => v.vmFlags.includes('wr') && v.anonymous > 0)).toBe(true);
  });

  it('a kernel thread (kthreadd, pid 2) has an empty rollup rather than an error', async () => {
    expect(readFileSync('/proc/2/comm', 'utf8').trim()).toBe('kthreadd');
    const rollup = await readSmapsRollup(2);
    expect(rollup).toMatchObject({ start: 0n, end: 0n, bytes: {}, rss: 0, anonymous: 0, anonHugePages: 0 });
    expect(await readSmaps(2)).toEqual([]);
  });

  it('a zombie (exited, not yet reaped) has no memory map: empty results, not an error', async () => {
    const { parent, zombie } = await startZombieParent();
    try {
      expect(await readMaps(zombie)).toEqual([]);
      expect(await readSmaps(zombie)).toEqual([]);
      expect(await readSmapsRollup(zombie)).toMatchObject({ start: 0n, end: 0n, bytes: {}, anonymous: 0 });
    } finally {
      await stopChild(parent);
    }
  });

  it('rejects a pid that does not exist with NoSuchProcessError', async () => {
    const pid = unusedPid();
    await expect(readSmaps(pid)).rejects.toThrow(new NoSuchProcessError(pid));
    await expect(readSmapsRollup(pid)).rejects.toThrow(new NoSuchProcessError(pid));
  });

  it('rejects a bad pid with InvalidArgumentError before touching /proc', async () => {
    await expect(readSmaps(-3)).rejects.toThrow(InvalidArgumentError);
    await expect(readSmapsRollup(2 ** 31)).rejects.toThrow(/^pid must be 'self' or an integer pid from 1 to 4194304; received 2147483648$/);
  });
});

describe('parseSmaps on recorded odd samples', () => {
  const vmas = parseSmaps(procfsFixture('smaps-odd.txt'));

  it('parses every key, in bytes, with THPeligible as a boolean and VmFlags as a list', () => {
    expect(vmas).toHaveLength(3);
    const [heap, memfd, file] = vmas;
    expect(heap).toMatchObject({
      pathname: '[anon:node buffer pool]',
      rss: 128 * 2 ** 20,
      anonymous: 128 * 2 ** 20,
      anonHugePages: 86 * 2 ** 20,
      thpEligible: true,
      counts: { ProtectionKey: 0 },
      vmFlags: ['rd', 'wr', 'mr', 'mw', 'me', 'ac', 'sd', 'hg'],
    });
    expect(Object.keys(heap!.bytes)).toHaveLength(22);
    expect(heap!.counts).not.toHaveProperty('THPeligible');
    expect(memfd).toMatchObject({ pathname: '/memfd:shared ring (deleted)', deleted: true, thpEligible: false });
    expect(memfd!.bytes['Swap']).toBe(4398046511104 * 1024);
    expect(memfd!.inexact).toEqual([]);
    expect(file).toMatchObject({ pathname: '/opt/my app/data file.bin', thpEligible: undefined, vmFlags: ['rd', 'mr', 'mw', 'me', 'nh'] });
  });

  it('parses a rollup with a [vsyscall]-high end address and huge sizes', () => {
    const rollup = parseSmapsRollup(procfsFixture('smaps_rollup-odd.txt'));
    expect(rollup).toMatchObject({ start: 0x400000n, end: 0xffffffffff601000n, anonHugePages: 20 * 2 ** 30 });
    expect(rollup.anonymous).toBe(25165000 * 1024);
  });

  it.each([
    ['a field before any VMA', 'Rss: 4 kB\n', /smaps line 1 comes before any VMA header: "Rss: 4 kB"/],
    ['a line that is neither', '00400000-00452000 r-xp 00000000 08:02 1 /bin/x\nno colon here\n', /smaps line 2 is neither/],
    ['a kB value that overflows bytes', '00400000-00452000 r-xp 00000000 08:02 1 /bin/x\nRss: 18014398509481984 kB\n', /smaps line 2/],
  ])('parseSmaps rejects %s with FormatError', (_what, text, message) => {
    expect(() => parseSmaps(text)).toThrow(FormatError);
    expect(() => parseSmaps(text)).toThrow(message);
  });

  it.each([
    ['a missing [rollup] header', 'Rss: 4 kB\n', /smaps_rollup line 1 is malformed/],
    ['a header that is not [rollup]', '00400000-00452000 r-xp 00000000 08:02 1 /bin/x\n', /smaps_rollup line 1/],
  ])('parseSmapsRollup rejects %s with FormatError', (_what, text, message) => {
    expect(() => parseSmapsRollup(text)).toThrow(FormatError);
    expect(() => parseSmapsRollup(text)).toThrow(message);
  });

  it('rejects non-string text with InvalidArgumentError', () => {
    expect(() => parseSmaps(undefined as unknown as string)).toThrow(/^text must be a string \(the text of the file\); received undefined$/);
  });
});
