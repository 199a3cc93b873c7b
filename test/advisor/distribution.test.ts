// Which snapshots of a recording the advisor averages: each monitor's first aggregations are
// its warm-up (DAMON's regions still finding the hot set's edges). A monitor that takes new
// ranges goes on counting and keeps what it learnt; one that starts over counts from 1.
import { describe, expect, it } from 'vitest';
import { accessDistribution } from '../../lib/advisor/distribution.js';
import { syntheticRecording } from '../helpers/synthetic-recording.js';

const GiB = 2 ** 30;

function recording(aggregationAt: (i: number) => number) {
  const r = syntheticRecording({ total: GiB, hot: GiB / 4, huge: 0, snapshots: 40, cpuShare: 1 });
  // A targets line every 5 snapshots (same ranges, a new line each time).
  r.snapshots = r.snapshots.map((s, i) => ({ ...s, aggregation: aggregationAt(i), targets: i % 5 === 0 ? [...s.targets] : s.targets }));
  for (let i = 1; i < r.snapshots.length; i++) if (i % 5 !== 0) r.snapshots[i]!.targets = r.snapshots[i - 1]!.targets;
  return r;
}

describe('accessDistribution', () => {
  it('skips the warm-up once for a monitor that followed new targets, counting on', () => {
    const d = accessDistribution(recording((i) => i + 1));
    expect(d.warmup).toBe(10);
    expect(d.snapshots).toBe(30);
  });

  it('skips it again for a monitor that started over', () => {
    const d = accessDistribution(recording((i) => (i < 20 ? i + 1 : i - 19)));
    expect(d.warmup).toBe(20);
    expect(d.snapshots).toBe(20);
  });

  it("leaves out a referenced recording's snapshots from before its first window closed: they say nothing yet", () => {
    // Snapshots every 100 ms (5 ms x 20); the first window closed at 2.5 s, the rates line written then.
    const r = syntheticRecording({ total: GiB, hot: GiB / 4, huge: 0, snapshots: 40, cpuShare: 1, rates: [{ type: 'rates', timeMs: 2500, windowMs: 1200, samples: [] }] });
    const d = accessDistribution(r);
    expect(d.warmup).toBe(24);
    expect(d.snapshots).toBe(16);
    expect(d.rateProbe).toMatchObject({ windowMs: 1200, samples: 0, used: 0, perPageHz: null });
  });
});
