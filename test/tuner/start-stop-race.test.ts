// Regression (issue "Reliability"): `start(); p = stop(); start(); await p` let the first
// run's launch, still waiting for the process's mappings, install a second monitor beside the
// next run's, and nothing ever stopped it. Any interleaving of start/stop/update must leave at
// most one monitor, and a final `await stop()` must end it: no sampler thread stays behind
// (counted in /proc/self/task) and no aggregate event arrives afterwards.
import { readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocAligned, HugepageTuner } from '../../lib/index.js';
import { pagemapUnavailable } from '../helpers/pagemap.js';

const pagemapMissing = pagemapUnavailable();
if (pagemapMissing) console.log(`tuner start/stop interleaving test skipped: ${pagemapMissing}`);

const threadCount = () => readdirSync('/proc/self/task').length;

/** Polls until the process has at most `limit` threads (a joined thread leaves the list at once; allow for a busy machine). */
async function settleThreads(limit: number): Promise<number> {
  let count = threadCount();
  for (let i = 0; i < 100 && count > limit; i++) {
    await sleep(20);
    count = threadCount();
  }
  return count;
}

type Command = { kind: 'start' } | { kind: 'stop' } | { kind: 'update'; aggregationMs: number } | { kind: 'wait'; ms: number };

// start and stop weigh most: the races are between them, with or without time in between.
const command: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'start' as const }), weight: 3 },
  { arbitrary: fc.constant({ kind: 'stop' as const }), weight: 3 },
  { arbitrary: fc.integer({ min: 2, max: 8 }).map((aggregationMs) => ({ kind: 'update' as const, aggregationMs })), weight: 1 },
  { arbitrary: fc.integer({ min: 0, max: 15 }).map((ms) => ({ kind: 'wait' as const, ms })), weight: 1 },
);

const tunerOptions = { monitoring: { sampleInterval: '1ms', aggregationInterval: '2ms' }, warmupAggregations: 1000 };

describe.skipIf(pagemapMissing !== null)('start/stop/update in any order', () => {
  it('leave at most one monitor, and a final stop() ends it', async () => {
    const buffer = allocAligned(8 * 2 ** 20);
    new Uint8Array(buffer).fill(1);
    // One full run first, so the libuv pool's threads (started by the first mapping read) are in the baseline.
    const warm = new HugepageTuner(tunerOptions);
    warm.start();
    await sleep(50);
    await warm.stop();
    const baseline = threadCount();

    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 14 }), async (commands) => {
        const tuner = new HugepageTuner(tunerOptions);
        const stops: Promise<void>[] = [];
        for (const c of commands) {
          if (c.kind === 'start') tuner.start();
          else if (c.kind === 'stop') stops.push(tuner.stop());
          else if (c.kind === 'update') tuner.update({ monitoring: { sampleInterval: '1ms', aggregationInterval: `${c.aggregationMs}ms` } });
          else await sleep(c.ms);
        }
        await tuner.stop();
        await Promise.all(stops);
        expect(tuner.running).toBe(false);
        expect(await settleThreads(baseline)).toBeLessThanOrEqual(baseline);
        let late = 0;
        tuner.on('aggregate', () => (late += 1));
        await sleep(40); // twenty aggregation intervals: a surviving monitor would have reported
        expect(late).toBe(0);
        expect(threadCount()).toBeLessThanOrEqual(baseline);
      }),
      { numRuns: 40 },
    );
    // The buffer stays mapped (and eligible) for every run.
    expect(new Uint8Array(buffer)[0]).toBe(1);
  });

  it("start(); p = stop(); start(); await p leaves at most the second run's monitor, which stop() ends", async () => {
    const buffer = allocAligned(8 * 2 ** 20);
    new Uint8Array(buffer).fill(1);
    const baseline = threadCount();
    for (let i = 0; i < 10; i++) {
      const tuner = new HugepageTuner(tunerOptions);
      tuner.start();
      const first = tuner.stop();
      tuner.start();
      await first;
      expect(tuner.running).toBe(true);
      await sleep(30);
      expect(threadCount()).toBeLessThanOrEqual(baseline + 1);
      await tuner.stop();
      expect(await settleThreads(baseline)).toBeLessThanOrEqual(baseline);
    }
    expect(new Uint8Array(buffer)[0]).toBe(1);
  });
});
