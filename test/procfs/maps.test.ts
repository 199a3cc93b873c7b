import { readFileSync, realpathSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError, InvalidArgumentError, NoSuchProcessError, PermissionDeniedError } from '../../lib/errors.js';
import { fromNativeError } from '../../lib/native/errors.js';
import { parseMaps, readMaps } from '../../lib/procfs/index.js';
import { addonPath } from '../helpers/addon-path.js';
import { procfsFixture } from '../helpers/fixtures.js';
import { runAsNobody, startIdleChild, stopChild, unusedPid } from '../helpers/processes.js';

const fixture = procfsFixture;

describe('readMaps on real processes', () => {
  let child: Awaited<ReturnType<typeof startIdleChild>>;
  beforeAll(async () => {
    child = await startIdleChild();
  });
  afterAll(async () => {
    await stopChild(child);
  });

  it('reads this process, including the node binary and the stack', async () => {
    const vmas = await readMaps();
    expect(vmas.length).toBeGreaterThan(10);
    expect(vmas.some((v) => v.pathname === realpathSync('/proc/self/exe') && v.perms.includes('x'))).toBe(true);
    expect(vmas.some((v) => v.pathname === '[stack]')).toBe(true);
    for (let i = 1; i < vmas.length; i++) expect(vmas[i]!.start >= vmas[i - 1]!.end).toBe(true);
  });

  it('reads a child process and agrees with parsing its maps text', async () => {
    const text = readFileSync(`/proc/${child.pid}/maps`, 'utf8');
    const read = await readMaps(child.pid);
    // The idle child does not map anything between the two reads.
    expect(read).toEqual(parseMaps(text));
    expect(read.length).toBe(text.trim().split('\n').length);
  });

  it('rejects a pid that does not exist with NoSuchProcessError', async () => {
    const pid = unusedPid();
    await expect(readMaps(pid)).rejects.toThrow(new NoSuchProcessError(pid));
    await expect(readMaps(pid)).rejects.toBeInstanceOf(NoSuchProcessError);
  });

  it.each([0, -1, 1.5, 4_194_305, Number.NaN, '42', null])('rejects pid %s with InvalidArgumentError', async (pid) => {
    await expect(readMaps(pid as number)).rejects.toThrow(InvalidArgumentError);
    await expect(readMaps(pid as number)).rejects.toThrow(/^pid must be 'self' or an integer pid from 1 to 4194304/);
  });

  // A child that dropped to uid 65534 reads pid 1 (root's init) through the addon directly;
  // the native error it gets is mapped here by the one conversion every wrapper uses.
  const asNobody = runAsNobody(
    `const procfs = require(${JSON.stringify(addonPath())}).procfs;` +
      `const settle = (p) => p.then(() => ({}), (e) => ({ ...e, message: e.message }));` +
      `Promise.all([procfs.readMaps(1), procfs.readSmaps(1), procfs.readSmapsRollup(1)].map(settle))` +
      `.then((errors) => console.log(JSON.stringify(errors)));`,
  );
  if ('unavailable' in asNobody) console.log(`skipping the permission test: ${asNobody.unavailable}`);
  it.skipIf('unavailable' in asNobody)('an unprivileged process reading pid 1 gets PermissionDeniedError', () => {
    const errors = JSON.parse((asNobody as { stdout: string }).stdout) as Array<Record<string, unknown>>;
    expect(errors.map((e) => e['path'])).toEqual(['/proc/1/maps', '/proc/1/smaps', '/proc/1/smaps_rollup']);
    for (const native of errors) {
      expect(native).toMatchObject({ errno: 'EACCES', syscall: 'open' });
      const error = fromNativeError(native, { pid: 1 });
      expect(error).toBeInstanceOf(PermissionDeniedError);
      expect(error.message).toBe(`open on pid 1 was refused: EACCES on ${String(native['path'])}`);
    }
  });
});

describe('parseMaps on recorded odd samples', () => {
  const vmas = parseMaps(fixture('maps-odd.txt'));

  it('keeps paths with spaces, parentheses and escapes whole', () => {
    expect(vmas.map((v) => v.pathname)).toEqual([
      '/usr/bin/my server (v2)',
      '/usr/bin/my server (v2)',
      '/memfd:jit cache (deleted)',
      '[anon:v8 heap space]',
      '/tmp/old log.txt (deleted)',
      '/dev/mem',
      '/tmp/line\\012break',
      '',
      '[stack]',
      '[vsyscall]',
    ]);
    expect(vmas.map((v) => v.deleted)).toEqual([false, false, true, false, true, false, false, false, false, false]);
  });

  it('keeps 64-bit addresses, offsets and inodes exact', () => {
    expect(vmas[9]).toMatchObject({ start: 0xffffffffff600000n, end: 0xffffffffff601000n, perms: '--xp' });
    expect(vmas[4]).toMatchObject({ inode: 18446744073709551615n, dev: '103:05' });
    expect(vmas[5]!.offset).toBe(0xfffffffffffff000n);
    expect(vmas[2]).toMatchObject({ perms: 'rw-s', dev: '00:01', inode: 1049n });
  });

  it('returns nothing for empty text', () => {
    expect(parseMaps('')).toEqual([]);
    expect(parseMaps('\n\n')).toEqual([]);
  });

  it.each([
    ['a smaps key line', 'Rss:   4 kB\n', /line 1 is not a VMA: "Rss: {3}4 kB"/],
    ['an end before the start', '2000-1000 rw-p 00000000 00:00 0\n', /line 1/],
    ['a truncated line', '00400000-00452000 r-xp 00000000 08:02 173521\n00651000-00652000 rw-p\n', /line 2/],
    ['a non-hex address', '0040000g-00452000 r-xp 00000000 08:02 1\n', /line 1/],
    ['an address beyond 64 bits', '10000000000000000-10000000000000001 r-xp 00000000 08:02 1\n', /line 1/],
  ])('rejects %s with FormatError', (_what, text, message) => {
    expect(() => parseMaps(text)).toThrow(FormatError);
    expect(() => parseMaps(text)).toThrow(message);
  });

  it('rejects a non-string with InvalidArgumentError', () => {
    expect(() => parseMaps(42 as unknown as string)).toThrow(new InvalidArgumentError('text', 'a string (the text of the file)', 42));
  });
});
