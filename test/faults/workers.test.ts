// worker_threads: monitors and a tuner in three workers at once, terminated mid-run; a process
// that calls process.exit() with tuners running, and one that only starts a tuner and
// returns, must end promptly: nothing of the package keeps a process alive or hangs its exit.
// Each runs in a child process, timed from spawn to exit.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { distEntry } from '../helpers/dist-entry.js';
import { pagemapUnavailable } from '../helpers/pagemap.js';

const skip = pagemapUnavailable();
if (skip) console.log(`worker tests skipped (they run pagemap monitors and tuners): ${skip}`);

/** A generous bound on a child's life: its work takes under 2 s. */
const EXIT_BOUND_MS = 10_000;

function runScenario(scenario: string) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [path.join(__dirname, 'fixtures/workers-child.cjs'), distEntry, scenario], { encoding: 'utf8', timeout: 30_000 });
  return { ...r, ms: Date.now() - t0 };
}

describe.skipIf(skip !== null)('worker_threads and process exit', () => {
  // Before the worker-termination fix this aborted the whole process (AccessMonitor::CallJs
  // calling into a worker's environment as it was torn down: "terminate called after throwing
  // an instance of 'Napi::Error'"); it guards that fix.
  it('runs monitors and a tuner in three workers concurrently and survives terminating them mid-run', () => {
    const r = runScenario('concurrent');
    expect(r.signal).toBeNull();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    console.log(`workers: aggregations before termination ${JSON.stringify(out.runningBefore)}, exit codes ${JSON.stringify(out.exitCodes)}, child lived ${r.ms} ms`);
    expect(out.fatal).toBeUndefined();
    expect(out.errors).toEqual([]);
    for (const n of out.runningBefore) expect(n).toBeGreaterThanOrEqual(3);
    expect(out.exitCodes).toEqual([1, 1, 1]); // terminate() reports 1 for a worker it stopped
    expect(r.ms).toBeLessThan(EXIT_BOUND_MS + 20_000);
  });

  it('exits promptly on process.exit() with a tuner and a monitor running', () => {
    const r = runScenario('exit');
    console.log(`process.exit with tuners running: child lived ${r.ms} ms`);
    expect(r.signal).toBeNull();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.ms).toBeLessThan(EXIT_BOUND_MS);
  });

  it('never keeps a process alive: one that only starts a tuner and a monitor and returns exits by itself', () => {
    const r = runScenario('return');
    console.log(`started and returned: child lived ${r.ms} ms`);
    expect(r.signal).toBeNull(); // not killed by the 30 s timeout
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('started\n');
    expect(r.ms).toBeLessThan(EXIT_BOUND_MS);
  });
});
