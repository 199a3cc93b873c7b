// Real MADV_COLLAPSE on real memory of this process and of a child process.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NoSuchProcessError, PermissionDeniedError } from '../../lib/errors.js';
import { addressOf, allocAligned, collapse, madvise, residency } from '../../lib/memory/index.js';
import { distEntry } from '../helpers/dist-entry.js';
import { checksum, collapseSettled, collapseUnavailable, fillPattern, hugeUnits } from '../helpers/memory.js';
import { runAsNobody, unusedPid } from '../helpers/processes.js';
import { unmappedRange, vmaContaining } from '../helpers/smaps-oracle.js';

const MiB = 1024 * 1024;

let unavailable: string | null = null;

beforeAll(async () => {
  unavailable = await collapseUnavailable();
  if (unavailable) console.warn(`skipping collapse tests: ${unavailable}`);
});

describe('collapse on this process', () => {
  it('turns at least 90% of a 64 MiB buffer into AnonHugePages and keeps its bytes', async (ctx) => {
    if (unavailable) return ctx.skip();
    const buffer = allocAligned(64 * MiB);
    await madvise(buffer, 'nohugepage'); // stay on 4 KiB pages while filling, even under THP=always
    fillPattern(buffer, 7);
    const before = checksum(buffer);
    const address = addressOf(buffer);
    expect(vmaContaining('self', address).anonHugeBytes).toBe(0);

    await madvise(buffer, 'hugepage'); // MADV_NOHUGEPAGE areas refuse collapse
    const report = await collapse(buffer);
    expect(report.units).toHaveLength(32);
    // A busy machine may fail a unit transiently (EAGAIN); nothing else may go wrong here.
    for (const unit of report.units) expect(['collapsed', 'already-huge', 'EAGAIN']).toContain(unit.outcome);
    expect(report.collapsedBytes).toBe(report.outcomes.collapsed * 2 * MiB);
    expect(report.addedBytes).toBe(0); // every page was resident
    expect(checksum(buffer)).toBe(before);

    // A second call leaves the huge units alone and may collapse the ones that failed transiently.
    const again = await collapse(buffer);
    for (const [i, unit] of report.units.entries()) {
      const second = again.units[i]!;
      expect(second.address).toBe(unit.address);
      if (unit.outcome === 'EAGAIN') expect(['collapsed', 'already-huge', 'EAGAIN']).toContain(second.outcome);
      else expect(second.outcome).toBe('already-huge');
    }
    expect(again.collapsedBytes).toBe(again.outcomes.collapsed * 2 * MiB);

    // Retrying what is still transient brings the buffer to >= 90% huge.
    expect(hugeUnits(await collapseSettled(buffer))).toBeGreaterThanOrEqual(29);
    expect(vmaContaining('self', address).anonHugeBytes).toBeGreaterThanOrEqual(0.9 * 64 * MiB);
    expect(checksum(buffer)).toBe(before);
  });

  it('counts the zero-filled pages it adds to sparse units', async (ctx) => {
    if (unavailable) return ctx.skip();
    const buffer = allocAligned(4 * MiB);
    await madvise(buffer, 'nohugepage');
    const bytes = new Uint8Array(buffer);
    for (let page = 0; page < 100; page++) bytes[page * 4096] = 1; // 100 pages of the first unit
    bytes[2 * MiB] = 1; // one page of the second
    await madvise(buffer, 'hugepage');
    const before = await residency(buffer);
    expect(before.map((u) => u.residentPages)).toEqual([100, 1]);

    const reports = await collapseSettled(buffer);
    for (const report of reports) {
      const collapsedNow = report.units.filter((u) => u.outcome === 'collapsed');
      const expectedAdded = collapsedNow.reduce((sum, u) => sum + (512 - u.residentPagesBefore) * 4096, 0);
      expect(report.addedBytes).toBe(expectedAdded);
    }
    const collapsed = reports.flatMap((r) => r.units.filter((u) => u.outcome === 'collapsed'));
    expect(collapsed.length).toBeGreaterThan(0);
    const after = await residency(buffer);
    for (const unit of collapsed) {
      const now = after.find((u) => u.address === unit.address)!;
      expect(now).toMatchObject({ residentPages: 512, pmdMapped: true });
    }
    expect(bytes[0]).toBe(1);
    expect(bytes[4096 * 100]).toBe(0);
  });

  it('reports units outside any mapping as not-mapped', async (ctx) => {
    if (unavailable) return ctx.skip();
    const report = await collapse(unmappedRange(4 * MiB));
    expect(report.units.map((u) => u.outcome)).toEqual(['not-mapped', 'not-mapped']);
    expect(report.collapsedBytes).toBe(0);
  });

  it('reports a unit split across two mappings as not-mapped and collapses the others', async (ctx) => {
    if (unavailable) return ctx.skip();
    const buffer = allocAligned(6 * MiB);
    new Uint8Array(buffer).fill(5);
    // Advice on an unaligned sub-range splits the mapping in the middle of the second unit.
    await madvise({ address: addressOf(buffer) + BigInt(3 * MiB), length: 3 * MiB }, 'hugepage');
    const reports = await collapseSettled(buffer);
    const final = reports.at(-1)!.units.map((u) => u.outcome);
    expect(final[1]).toBe('not-mapped');
    for (const i of [0, 2]) expect(['collapsed', 'already-huge']).toContain(final[i]);
    expect(new Uint8Array(buffer).every((b) => b === 5)).toBe(true);
  });

  it('reports EINVAL for a MADV_NOHUGEPAGE area, per unit', async (ctx) => {
    if (unavailable) return ctx.skip();
    const buffer = allocAligned(2 * MiB);
    await madvise(buffer, 'nohugepage');
    new Uint8Array(buffer).fill(1);
    const report = await collapse(buffer);
    expect(report.units[0]).toMatchObject({ outcome: 'EINVAL', errno: 'EINVAL' });
  });
});

describe('collapse on another process (pidfd + process_madvise)', () => {
  let child: ReturnType<typeof spawn>;
  let lines: AsyncIterator<string>;
  let childAddress: bigint;
  const size = 16 * MiB;

  beforeAll(async () => {
    if (unavailable) return;
    const script = `
      const memory = require(${JSON.stringify(distEntry)});
      const buffer = memory.allocAligned(${size});
      const words = new Uint32Array(buffer);
      for (let i = 0; i < words.length; i++) words[i] = (i * 2654435761) >>> 0;
      const sum = () => { let h = 0; for (let i = 0; i < words.length; i++) h = (h + words[i]) >>> 0; return h; };
      console.log(memory.addressOf(buffer).toString() + ' ' + sum());
      process.stdin.on('data', () => console.log(String(sum())));
    `;
    child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const first = (await lines.next()).value as string;
    childAddress = BigInt(first.split(' ')[0]!);
    (child as unknown as { initialSum: string }).initialSum = first.split(' ')[1]!;
  });

  afterAll(async () => {
    if (!child || child.exitCode !== null) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  });

  it('collapses a child buffer and leaves its contents unchanged', async (ctx) => {
    if (unavailable) return ctx.skip();
    const reports = await collapseSettled({ address: childAddress, length: size }, { pid: child.pid! });
    expect(hugeUnits(reports)).toBeGreaterThanOrEqual(7);
    expect(vmaContaining(child.pid!, childAddress).anonHugeBytes).toBeGreaterThanOrEqual(0.9 * size);
    const units = await residency({ address: childAddress, length: size }, { pid: child.pid! });
    expect(units.filter((u) => u.pmdMapped).length).toBeGreaterThanOrEqual(7);
    child.stdin!.write('\n');
    expect((await lines.next()).value).toBe((child as unknown as { initialSum: string }).initialSum);
  });

  it('rejects a pid that does not exist with NoSuchProcessError', async () => {
    const pid = unusedPid();
    await expect(collapse({ address: 0x200000n, length: 2 * MiB }, { pid })).rejects.toThrow(NoSuchProcessError);
    await expect(collapse({ address: 0x200000n, length: 2 * MiB }, { pid })).rejects.toThrow(`no process with pid ${pid} exists`);
  });

  it('rejects a process we may not advise with PermissionDeniedError', (ctx) => {
    if (unavailable) return ctx.skip();
    const outcome = runAsNobody(`
      const { collapse } = require(${JSON.stringify(distEntry)});
      collapse({ address: 0x200000n, length: 2 * 1024 * 1024 }, { pid: 1 })
        .then(() => console.log('resolved'), (e) => console.log(e.name + ': ' + e.message));
    `);
    if ('unavailable' in outcome) {
      console.warn(`skipping: ${outcome.unavailable}`);
      return ctx.skip();
    }
    expect(outcome.stdout.trim()).toBe('PermissionDeniedError: open on pid 1 was refused: EACCES on /proc/1/maps');
    expect(new PermissionDeniedError(1, 'open', 'EACCES').code).toBe('ERR_THP_PERMISSION_DENIED');
  });

  it('rejects process_madvise without CAP_SYS_NICE with PermissionDeniedError', (ctx) => {
    if (unavailable) return ctx.skip();
    // As nobody, the child may read its own child's /proc files (same uid, ptrace access), so
    // the refusal comes from process_madvise itself: advising another process needs CAP_SYS_NICE.
    const outcome = runAsNobody(`
      const { spawn } = require('node:child_process');
      const { collapse } = require(${JSON.stringify(distEntry)});
      const grandchild = spawn(process.execPath, ['-e', "const m = require(" + JSON.stringify(${JSON.stringify(distEntry)}) + "); const b = m.allocAligned(4 << 20); new Uint8Array(b).fill(1); console.log(m.addressOf(b).toString()); setInterval(() => {}, 1000);"], { stdio: ['ignore', 'pipe', 'inherit'] });
      grandchild.stdout.once('data', (line) => {
        collapse({ address: BigInt(String(line).trim()), length: 4 << 20 }, { pid: grandchild.pid })
          .then(() => console.log('resolved'), (e) => console.log(e.name + ': ' + e.message))
          .finally(() => grandchild.kill('SIGKILL'));
      });
    `);
    if ('unavailable' in outcome) {
      console.warn(`skipping: ${outcome.unavailable}`);
      return ctx.skip();
    }
    expect(outcome.stdout.trim()).toMatch(/^PermissionDeniedError: process_madvise on pid \d+ was refused: EPERM/);
  });
});
