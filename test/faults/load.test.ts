// Under load: every CPU kept busy by spinning processes for the test's duration while a
// pagemap monitor samples every millisecond and a tuner runs. The monitor falls behind
// gracefully: the sampling intervals it could not keep are counted (snapshot.skippedSamples),
// never made up or queued (taken plus skipped intervals never exceed the time that passed),
// snapshots arrive in order; the tuner still charges no window more than its quota.
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runJsonChild } from '../helpers/json-child.js';
import { collapseUnavailable } from '../helpers/memory.js';
import { pagemapUnavailable } from '../helpers/pagemap.js';
import { stopChild } from '../helpers/processes.js';

const skip = pagemapUnavailable() ?? (await collapseUnavailable());
if (skip) console.log(`load test skipped: ${skip}`);

interface LoadOutput {
  startMs: number;
  snapshots: { aggregation: number; skippedSamples: number; timeMs: number; sampleMs: number; samples: number }[];
  applies: { charged: number; actionMs: number; esz: number }[];
  errors: string[];
  skippedSnapshots: number;
  units: Record<string, number>;
}

describe.skipIf(skip !== null)('monitor and tuner on a machine with every CPU busy', () => {
  it('counts skipped samples instead of queueing them and keeps the quota', async () => {
    const spinners: ChildProcess[] = Array.from({ length: os.availableParallelism() }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
    let out: LoadOutput;
    try {
      out = await runJsonChild<LoadOutput>(path.join(__dirname, 'fixtures/load-child.cjs'), ['4000']);
    } finally {
      for (const s of spinners) void stopChild(s);
    }
    const last = out.snapshots.at(-1)!;
    const maxCharged = Math.max(0, ...out.applies.map((a) => a.charged));
    console.log(
      `under load (${spinners.length} spinners): ${out.snapshots.length} snapshots delivered of ${last.aggregation}, ${last.skippedSamples} sampling intervals skipped ` +
        `(${last.aggregation * last.samples} taken); tuner: ${out.applies.length} applications, ${out.skippedSnapshots} snapshots skipped while busy, ` +
        `most charged in a window ${maxCharged} B, most action time ${Math.max(0, ...out.applies.map((a) => a.actionMs)).toFixed(1)} ms; units ${JSON.stringify(out.units)}`,
    );
    expect(out.errors).toEqual([]);
    expect(out.snapshots.length).toBeGreaterThanOrEqual(3);
    const begin = { aggregation: 0, skippedSamples: 0, timeMs: out.startMs };
    let [beforePrevious, previous] = [begin, begin];
    for (const s of out.snapshots) {
      expect(s.aggregation).toBeGreaterThan(previous.aggregation); // in order; a dropped delivery leaves a gap, never a queue
      expect(s.skippedSamples).toBeGreaterThanOrEqual(previous.skippedSamples);
      // Intervals skipped since the previous delivery fit in the time that passed since the
      // one before it: a late wake is counted at the next wake, and the sampling interval
      // that ended the previous aggregation began before that aggregation's timestamp (the
      // lateness of a thread descheduled between the two shows up one delivery later).
      expect(s.skippedSamples - previous.skippedSamples).toBeLessThanOrEqual((s.timeMs - beforePrevious.timeMs) / s.sampleMs);
      [beforePrevious, previous] = [previous, s];
    }
    // Taken plus skipped never exceed the intervals that passed: nothing is made up later.
    expect((last.aggregation * last.samples + last.skippedSamples) * last.sampleMs).toBeLessThanOrEqual(last.timeMs - out.startMs + last.sampleMs);
    expect(last.skippedSamples).toBeGreaterThan(0); // with every CPU taken, a 1 ms sampler runs late
    expect(out.applies.length).toBeGreaterThan(0);
    for (const a of out.applies) expect(a.charged).toBeLessThanOrEqual(a.esz);
    expect(Math.max(...out.applies.map((a) => a.esz))).toBeLessThanOrEqual(8 * 2 ** 20);
  }, 90_000);
});
