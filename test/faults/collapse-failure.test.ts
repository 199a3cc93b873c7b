// Collapse failing: for real where the machine lets a test provoke it (EAGAIN from a page
// another reference holds; EBUSY from a memory cgroup at its limit), else through the addon's
// test-only fault hook (THP_AUTOTUNE_TEST_COLLAPSE_FAIL, see SECURITY.md). Failures are
// counted by outcome, a failing unit is backed off instead of retried at once, and no quota
// window is charged more than its quota.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collapse, type SchemeStatus } from '../../lib/index.js';
import { createMemoryCgroup } from '../helpers/cgroup.js';
import { compileC, unavailableReason } from '../helpers/compile-c.js';
import { runJsonChild } from '../helpers/json-child.js';
import { collapseUnavailable } from '../helpers/memory.js';
import { pagemapUnavailable } from '../helpers/pagemap.js';
import { stopChild } from '../helpers/processes.js';

const UNIT = 2 ** 21;
const collapseMissing = await collapseUnavailable();
const helper = compileC('pinned-pages');
const helperMissing = unavailableReason(helper, 'real collapse-failure tests') ?? collapseMissing;
const tunerMissing = pagemapUnavailable() ?? collapseMissing;
if (tunerMissing) console.log(`tuner collapse-failure tests skipped: ${tunerMissing}`);

/** Starts the pinned-pages helper (`pin` or `plain`), optionally first moved into a cgroup. */
async function startHelper(units: number, mode: 'pin' | 'plain', cgroupDir?: string): Promise<{ child: ChildProcess; range: { address: bigint; length: number } }> {
  const program = (helper as { path: string }).path;
  const child = cgroupDir
    ? spawn('sh', ['-c', 'echo $$ > "$0/cgroup.procs" && exec "$1" "$2" "$3"', cgroupDir, program, String(units), mode], { stdio: ['ignore', 'pipe', 'inherit'] })
    : spawn(program, [String(units), mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  const [address, count] = line.toString().trim().split(' ');
  return { child, range: { address: BigInt('0x' + address), length: Number(count) * UNIT } };
}

/** The tuner in a child process with the fault hook set to `plan`. */
function runFailingTuner(plan: string, quotaSize: string, backoff: string, until: 'backed-off' | 'mixed') {
  return runJsonChild<{
    errors: string[];
    applies: { atMs: number; charged: number; quotaBytes: number; attempts: number }[];
    runMs: number;
    units: SchemeStatus['stats']['units'];
    lastError: string | null;
  }>(path.join(__dirname, 'fixtures/failing-collapse-child.cjs'), ['3000', quotaSize, backoff, until], { env: { ...process.env, THP_AUTOTUNE_TEST_COLLAPSE_FAIL: plan }, timeoutMs: 90_000 });
}

/** Collapse attempts one unit may get in `ms` with a back-off from `baseMs` doubling up to `maxMs`: the first, one at the next probe window, then one per elapsed back-off. */
function attemptsPerUnit(ms: number, baseMs: number, maxMs: number): number {
  let attempts = 2;
  for (let at = baseMs, wait = baseMs; at <= ms; wait = Math.min(2 * wait, maxMs), at += wait) attempts++;
  return attempts;
}

describe('collapse failures', () => {
  it.skipIf(helperMissing !== null)('reports EAGAIN per unit for pages held by another reference (vmsplice), and collapses the same memory unheld', async () => {
    const pinned = await startHelper(4, 'pin');
    const plain = await startHelper(4, 'plain');
    try {
      const failed = await collapse(pinned.range, { pid: pinned.child.pid! });
      // Unheld memory collapses; EAGAIN can still happen for a moment (a page not yet on an
      // LRU list), so it is asked again as the outcome invites.
      let worked = await collapse(plain.range, { pid: plain.child.pid! });
      for (let again = 0; again < 10 && worked.outcomes.EAGAIN > 0; again++) worked = await collapse(plain.range, { pid: plain.child.pid! });
      console.log(`real collapse failures: held ${JSON.stringify(failed.outcomes)}, unheld ${JSON.stringify(worked.outcomes)}`);
      expect(failed.outcomes.EAGAIN).toBe(4);
      expect(failed.units.every((u) => u.outcome === 'EAGAIN' && u.errno === 'EAGAIN')).toBe(true);
      expect(failed.collapsedBytes).toBe(0);
      expect(worked.outcomes.collapsed + worked.outcomes['already-huge']).toBe(4);
    } finally {
      await Promise.all([stopChild(pinned.child), stopChild(plain.child)]);
    }
  });

  it.skipIf(helperMissing !== null)('reports EBUSY per unit when the target memory cgroup cannot be charged a huge page', async (ctx) => {
    const cgroup = createMemoryCgroup(`thp-autotune-test-${process.pid}`);
    if ('unavailable' in cgroup) {
      console.log(`memory-cgroup collapse test skipped: ${cgroup.unavailable}`);
      ctx.skip();
      return;
    }
    let helperChild: ChildProcess | undefined;
    try {
      const started = await startHelper(4, 'plain', cgroup.dir);
      helperChild = started.child;
      // Less than one huge page of room above what the helper uses, and no swap to make room.
      cgroup.limit(cgroup.currentBytes() + UNIT / 2);
      const report = await collapse(started.range, { pid: started.child.pid! });
      console.log(`memory-cgroup collapse: ${JSON.stringify(report.outcomes)}`);
      expect(report.outcomes.EBUSY).toBeGreaterThan(0);
      expect(report.outcomes.EBUSY + report.outcomes.collapsed).toBe(4);
    } finally {
      if (helperChild) await stopChild(helperChild);
      cgroup.remove();
    }
  });

  it.skipIf(tunerMissing !== null)(
    'backs off units whose collapse keeps failing instead of retrying them at every application',
    async () => {
      const backoffMs = 1000;
      const out = await runFailingTuner('EBUSY:every-1', '64M', `${backoffMs}ms`, 'backed-off');
      const attempts = out.applies.at(-1)?.attempts ?? 0;
      const triedUnits = 16; // the 32 MiB buffer
      // A first failure is retried at the next probe window, then the back-off doubles from
      // 1 s up to the child's 10 s: attempts at 0, soon after, >= 1 s later and >= 2 s after
      // that, so at most 4 per unit in a 3 s run (112 in 18 applications without the back-off,
      // measured); a longer run (a busy machine) allows one more per elapsed back-off.
      const allowed = triedUnits * attemptsPerUnit(out.runMs, backoffMs, 10_000);
      console.log(`failing tuner: ${attempts} collapse attempts (at most ${allowed}) over ${out.applies.length} applications in ${out.runMs} ms; units ${JSON.stringify(out.units)}`);
      expect(out.errors).toEqual([]);
      expect(out.lastError).toBeNull();
      expect(out.units.EBUSY).toBeGreaterThan(0);
      expect(out.units.collapsed).toBe(0);
      expect(out.units['skipped-retry']).toBeGreaterThan(0);
      expect(attempts).toBeLessThanOrEqual(allowed);
    },
    120_000,
  );

  it.skipIf(tunerMissing !== null)(
    'counts each outcome and charges no window more than its quota when some collapses fail',
    async () => {
      const out = await runFailingTuner('EAGAIN:every-3rd', '8M', '200ms', 'mixed');
      console.log(`partly failing tuner: units ${JSON.stringify(out.units)}; ${out.applies.length} applications in ${out.runMs} ms`);
      expect(out.errors).toEqual([]);
      expect(out.units.EAGAIN).toBeGreaterThan(0);
      expect(out.units.collapsed).toBeGreaterThan(0);
      expect(out.applies.length).toBeGreaterThan(0);
      for (const a of out.applies) expect(a.charged).toBeLessThanOrEqual(a.quotaBytes);
      expect(Math.max(...out.applies.map((a) => a.quotaBytes))).toBeLessThanOrEqual(8 * 2 ** 20);
    },
    120_000,
  );
});
