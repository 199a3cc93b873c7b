// When the target's eligible memory changes (a heap grows, a buffer is allocated), the tuner
// keeps its monitor and gives it the new spans: the regions it has learnt stay, and the new
// memory is watched from the next ops update (a new monitor would start over from a few
// large regions and lose the hot set it had found).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { distEntry } from '../helpers/dist-entry.js';
import { pagemapUnavailable } from '../helpers/pagemap.js';
import { spawnAsync } from '../helpers/spawn-async.js';

const skip = pagemapUnavailable();
if (skip) console.log(`tuner spans test skipped: ${skip}`);

describe.skipIf(skip !== null)('HugepageTuner when the eligible memory changes', () => {
  it('watches a new buffer with the same monitor, its regions and their ages kept', async () => {
    const r = await spawnAsync(process.execPath, [path.join(__dirname, 'fixtures/spans-child.cjs'), distEntry], { timeoutMs: 90_000 });
    expect(r.signal).toBeNull();
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(out.fatal).toBeUndefined();
    console.log(`new buffer allocated at aggregation ${out.addedAt}, watched from ${out.coveredAt}; oldest region of the first buffer then ${out.firstMaxAge} aggregations`);
    expect(out.errors).toEqual([]);
    expect(out.monitors).toBe(1);
    // One count from 1, never starting over.
    expect(out.aggregations).toEqual(out.aggregations.map((_: number, i: number) => out.aggregations[0] + i));
    expect(out.coveredAt).not.toBeNull();
    // The first buffer's regions were not rebuilt: some are older than the change.
    expect(out.firstMaxAge).toBeGreaterThan(out.coveredAt - out.addedAt);
  }, 100_000);
});
