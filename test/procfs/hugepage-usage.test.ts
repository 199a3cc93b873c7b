import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, NoSuchProcessError } from '../../lib/errors.js';
import { readMeminfo, readSmapsRollup } from '../../lib/procfs/index.js';
import { hugepageUsage } from '../../lib/procfs/index.js';
import { startIdleChild, stopChild, unusedPid } from '../helpers/processes.js';

const MiB = 2 ** 20;

describe('hugepageUsage on real memory', () => {
  // glibc.malloc.hugetlb=1 makes glibc advise MADV_HUGEPAGE on the mmap'd chunk behind the
  // child's 64 MiB Buffer, so with THP "madvise" (this machine) it faults in 2 MiB pages.
  let hugeChild: Awaited<ReturnType<typeof startIdleChild>>;
  beforeAll(async () => {
    hugeChild = await startIdleChild(64, { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' });
  });
  afterAll(async () => {
    await stopChild(hugeChild);
  });

  it('process scope: the THP-advised child has its Buffer on huge pages', async () => {
    const usage = await hugepageUsage({ pid: hugeChild.pid });
    const rollup = await readSmapsRollup(hugeChild.pid);
    expect(usage).toMatchObject({ scope: 'process', pid: hugeChild.pid, source: '/proc/<pid>/smaps_rollup' });
    expect(usage.anonymousBytes).toBeGreaterThanOrEqual(64 * MiB);
    expect(usage.anonHugeBytes).toBeGreaterThanOrEqual(60 * MiB);
    expect(usage.anonHugeBytes).toBe(rollup.anonHugePages);
    expect(usage.hugeRatioBasisPoints).toBe(Math.round((usage.anonHugeBytes * 10_000) / usage.anonymousBytes));
    expect(usage.hugeRatioBasisPoints).toBeGreaterThan(0);
    expect(usage.hugeRatioBasisPoints).toBeLessThanOrEqual(10_000);
  });

  it('process scope defaults to this process', async () => {
    const usage = await hugepageUsage();
    expect(usage.pid).toBe(process.pid);
    expect(usage.anonymousBytes).toBeGreaterThan(0);
    expect(Number.isInteger(usage.hugeRatioBasisPoints)).toBe(true);
  });

  it('system scope counts the child too, from /proc/meminfo', async () => {
    const child = await hugepageUsage({ pid: hugeChild.pid });
    const system = await hugepageUsage({ scope: 'system' });
    const meminfo = await readMeminfo();
    expect(system).toMatchObject({ scope: 'system', pid: undefined, source: '/proc/meminfo' });
    // Per-CPU counter drift can hide up to a few MiB of the newest changes.
    expect(system.anonHugeBytes).toBeGreaterThanOrEqual(child.anonHugeBytes - 4 * MiB);
    expect(system.anonymousBytes).toBeGreaterThanOrEqual(system.anonHugeBytes - 4 * MiB);
    expect(Math.abs(system.anonymousBytes - meminfo.bytes['AnonPages']!)).toBeLessThan(256 * MiB);
  });

  it('a kernel thread has no anonymous memory and a ratio of 0', async () => {
    expect(await hugepageUsage({ pid: 2 })).toMatchObject({ anonymousBytes: 0, anonHugeBytes: 0, hugeRatioBasisPoints: 0 });
  });
});

describe('hugepageUsage bad input', () => {
  it('a pid that does not exist gives NoSuchProcessError', async () => {
    const pid = unusedPid();
    await expect(hugepageUsage({ pid })).rejects.toThrow(new NoSuchProcessError(pid));
  });

  it.each([
    [{ scope: 'machine' }, /^scope must be 'process' or 'system'; received "machine"$/],
    [{ scope: 'system', pid: 1 }, /^pid must be absent when scope is 'system'/],
    [{ pid: 0 }, /^pid must be 'self' or an integer pid from 1 to 4194304; received 0$/],
    [{ pid: 'init' }, /^pid must be 'self' or an integer/],
    [null, /^options must be an object/],
  ])('%j gives InvalidArgumentError', async (options, message) => {
    const call = hugepageUsage(options as never);
    await expect(call).rejects.toThrow(InvalidArgumentError);
    await expect(hugepageUsage(options as never)).rejects.toThrow(message);
  });
});
