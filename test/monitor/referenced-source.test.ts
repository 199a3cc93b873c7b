// The referenced source on real memory, in a child process (it monitors its own process):
// accuracy against a known hot set that is only READ, and the VMA splits it makes while
// running undone when it stops.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addonPath } from '../helpers/addon-path.js';
import { spawnAsync } from '../helpers/spawn-async.js';
import { sourceUnavailable } from '../helpers/sources.js';
import { accuracyRuns, type HotSetRun } from './hot-set-accuracy.js';

type ReferencedRun = HotSetRun & {
  error: string | null;
  before: { vmas: number; dontDump: number };
  whileRunning: { vmas: number; dontDump: number; state: { cycles: number; cellBytes: number; markedRanges: number } };
  after: { vmas: number; dontDump: number };
  stateAfter: { markedRanges: number; cycles: number };
  seconds: number;
};

const unavailable = sourceUnavailable('referenced');
if (unavailable) console.log(`referenced source tests skipped: ${unavailable}`);

describe.skipIf(unavailable !== null)('referenced source', { timeout: 500_000 }, () => {
  it('finds a READ 5% hot set of a 1 GiB buffer, follows it when it moves, and undoes its VMA splits', async () => {
    const { met, summaries } = await accuracyRuns('referenced', async (seed) => {
      const r = await spawnAsync(process.execPath, [path.join(__dirname, 'fixtures/referenced-child.cjs'), addonPath(), 'accuracy', String(seed)], {
        // 30 aggregations of 500 ms take 15 s quiet; on a busy machine up to 3 times as many run
        // (hot-set.cjs, "fed"), and each stretches.
        timeoutMs: 240_000,
      });
      expect(r.signal).toBeNull();
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const run = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as ReferencedRun;
      expect(run.error).toBeNull();
      console.log(`cells ${run.whileRunning.state.cellBytes / 2 ** 20} MiB, ${run.whileRunning.vmas} VMAs while running; ` + `${run.stateAfter.cycles} windows in ${run.seconds.toFixed(1)} s`);
      // While running: one VMA per 2 MiB cell, alternate ones marked VM_DONTDUMP.
      expect(run.before).toEqual({ vmas: 1, dontDump: 0 });
      expect(run.whileRunning.state.cellBytes).toBe(2 ** 21);
      expect(run.whileRunning.vmas).toBe(512);
      expect(run.whileRunning.dontDump).toBe(256);
      // Stopped: one VMA again, nothing left out of core dumps.
      expect(run.after).toEqual({ vmas: 1, dontDump: 0 });
      expect(run.stateAfter.markedRanges).toBe(0);
      return run;
    });
    // As for the write source: met by one of the first 10 (20 after the move) aggregations.
    expect(met, summaries.join('; ')).toBe(true);
  });
});
