// The target process exits, or is replaced by a newcomer with the same pid, while it is worked
// on: every call ends with a typed error naming the pid (no crash, no hang), and a pinned
// target (pinProcess) is never confused with the process that reuses its pid.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collapse, HugepageTuner, NoSuchProcessError, NotSupportedError, pinProcess, processStartTime, readSmaps, residency, ThpError } from '../../lib/index.js';
import { runJsonChild } from '../helpers/json-child.js';
import { collapseUnavailable } from '../helpers/memory.js';
import { startIdleChild, stopChild } from '../helpers/processes.js';

const UNIT = 2 ** 21;
const collapseMissing = await collapseUnavailable();
if (collapseMissing) console.log(`target-exit collapse loop skipped: ${collapseMissing}`);

/** The first whole 2 MiB unit of the child's largest anonymous mapping (its Buffer). */
async function bufferUnits(pid: number, units: number): Promise<{ address: bigint; length: number }> {
  const vma = (await readSmaps(pid)).filter((v) => v.anonymous > 0).sort((a, b) => Number(b.end - b.start - (a.end - a.start)))[0]!;
  return { address: (vma.start + BigInt(UNIT - 1)) & ~BigInt(UNIT - 1), length: units * UNIT };
}

describe('a target process that exits mid-run', () => {
  it.skipIf(collapseMissing !== null)('ends a collapse/residency loop on an exiting process with NoSuchProcessError, promptly', async () => {
    const child = await startIdleChild(64);
    const range = await bufferUnits(child.pid, 4);
    const pinned = pinProcess(child.pid);
    setTimeout(() => child.kill('SIGKILL'), 300);
    const t0 = Date.now();
    let rounds = 0;
    let failure: unknown = null;
    while (failure === null && Date.now() - t0 < 20_000) {
      try {
        const target = rounds % 2 === 0 ? child.pid : pinned;
        await collapse(range, { pid: target });
        await residency(range, { pid: target });
        rounds++;
      } catch (e) {
        failure = e;
      }
    }
    await stopChild(child);
    console.log(`target exit: ${rounds} rounds before the exit was seen after ${Date.now() - t0} ms; ${String(failure)}`);
    expect(rounds).toBeGreaterThan(0);
    expect(failure).toBeInstanceOf(NoSuchProcessError);
    expect((failure as NoSuchProcessError).pid).toBe(child.pid);
    expect((failure as Error).message).toContain(String(child.pid));
    // Once gone, every entry point says so.
    await expect(readSmaps(child.pid)).rejects.toBeInstanceOf(NoSuchProcessError);
    await expect(collapse(range, { pid: pinned })).rejects.toBeInstanceOf(NoSuchProcessError);
    expect(() => processStartTime(child.pid)).toThrow(NoSuchProcessError);
  });

  it('refuses or stops a tuner on another process that exits, with the reason', async () => {
    const child = await startIdleChild(64);
    let tuner: HugepageTuner;
    try {
      tuner = new HugepageTuner({ pid: child.pid });
    } catch (e) {
      // Watching another process needs the kernel's DAMON with vaddr operations.
      await stopChild(child);
      expect(e).toBeInstanceOf(NotSupportedError);
      expect((e as NotSupportedError).feature).toBe('tuning another process');
      console.log(`tuner on another pid refused here, as documented: ${(e as Error).message}`);
      return;
    }
    const errors: Error[] = [];
    tuner.on('error', (e) => errors.push(e));
    tuner.start();
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGKILL');
    const t0 = Date.now();
    while (errors.length === 0 && Date.now() - t0 < 15_000) await new Promise((r) => setTimeout(r, 100));
    await tuner.stop();
    expect(errors[0]).toBeInstanceOf(ThpError);
    expect(errors[0]!.message).toMatch(new RegExp(`${child.pid}|stopped`));
  });

  it('rejects a pinned process whose pid was reused by another process (ProcessReplacedError)', async (ctx) => {
    const reason = process.getuid?.() !== 0 ? 'choosing the next pid in a new pid namespace needs root' : spawnSync('unshare', ['--version']).error ? 'unshare (util-linux) is missing' : null;
    if (reason) {
      console.log(`pid-reuse test skipped: ${reason}`);
      ctx.skip();
    }
    const out = await runJsonChild(path.join(__dirname, 'fixtures/pid-reuse.cjs'), [], { launcher: ['unshare', '--pid', '--fork', '--mount-proc'] });
    expect(out.reused).toBe(true); // the newcomer really has the pinned pid
    expect(out.before).toBeNull();
    expect(out.gone).toMatchObject({ name: 'NoSuchProcessError', code: 'ERR_THP_NO_SUCH_PROCESS' });
    for (const call of ['replacedSmaps', 'replacedCollapse', 'replacedResidency']) {
      expect(out[call]).toMatchObject({ name: 'ProcessReplacedError', code: 'ERR_THP_NO_SUCH_PROCESS' });
      expect(out[call].message).toMatch(/now belongs to another process/);
    }
    expect(out.byNumber).toBeNull(); // a plain pid means whoever has it now
  });
});

describe('pinned process input', () => {
  it('names the bad field of a malformed pinned process', async () => {
    await expect(readSmaps({ pid: 0, startTime: 1n })).rejects.toMatchObject({ name: 'InvalidArgumentError', field: 'pid.pid' });
    await expect(residency({ address: 0n, length: UNIT }, { pid: { pid: 1.5, startTime: 1n } })).rejects.toMatchObject({ name: 'InvalidArgumentError', field: 'options.pid.pid' });
    expect(() => pinProcess(-1)).toThrow(/^pid must be an integer pid from 1 to 4194304; received -1$/);
  });
});

describe('a target process that exits by itself', () => {
  it.skipIf(collapseMissing !== null)('reports the exit of a child that ends on its own', async () => {
    const child = spawn(process.execPath, ['-e', "const b = Buffer.alloc(32 << 20, 1); process.stdout.write('ready\\n'); setTimeout(() => process.exit(0), 400);"], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await once(child.stdout!, 'data');
    const pid = child.pid!;
    const range = await bufferUnits(pid, 2);
    let failure: unknown = null;
    const t0 = Date.now();
    while (failure === null && Date.now() - t0 < 20_000) await collapse(range, { pid }).catch((e) => (failure = e));
    expect(failure).toBeInstanceOf(NoSuchProcessError);
    await stopChild(child);
  });
});
