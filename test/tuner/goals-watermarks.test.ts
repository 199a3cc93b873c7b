// Goal metrics read at window starts (Documentation/mm/damon/design.rst, "Aim-oriented Feedback-driven Auto-tuning") and watermarks (design.rst "Watermarks") in the tuner.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HugepageTuner, type QuotaReport } from '../../lib/index.js';
import { GoalMetrics, parseNodeMeminfo } from '../../lib/tuner/metrics.js';
import type { TunerBackend } from '../../lib/tuner/backend.js';

const M = 2 ** 21;
const BASE = 0x7f00_0000_0000;
function sim(scheme: Record<string, unknown>) {
  return new HugepageTuner({
    source: { kind: 'sim', mappings: [{ start: BASE, end: BASE + 32 * M }], workload: { hot: [{ start: BASE, end: BASE + 16 * M }], accessesPer5ms: 2000 } },
    schemes: [{ pattern: { accessRate: { min: '5%' } }, ...scheme }],
    warmupAggregations: 0,
  });
}

describe('goal metrics', () => {
  it('parses node meminfo', () => {
    expect(parseNodeMeminfo('Node 0 MemTotal:       24000000 kB\nNode 0 MemFree:        6000000 kB\n')).toEqual({ totalBytes: 24000000 * 1024, freeBytes: 6000000 * 1024 });
  });

  it('node_mem_free_bp / used_bp come from the node’s meminfo; an absent node counts as free', async () => {
    const metrics = new GoalMetrics({} as TunerBackend);
    const free = await metrics.current({ metric: 'node_mem_free_bp', target: 1, nid: 0 });
    const used = await metrics.current({ metric: 'node_mem_used_bp', target: 1, nid: 0 });
    const node = parseNodeMeminfo(readFileSync('/sys/devices/system/node/node0/meminfo', 'utf8'));
    expect(Math.abs(free - (node.freeBytes * 10000) / node.totalBytes)).toBeLessThan(200); // memory moves between reads
    expect(free + used).toBeGreaterThanOrEqual(9800);
    expect(free + used).toBeLessThanOrEqual(10200);
    expect(await metrics.current({ metric: 'node_mem_free_bp', target: 1, nid: 1023 })).toBe(10000);
    expect(await metrics.current({ metric: 'node_mem_used_bp', target: 1, nid: 1023 })).toBe(0);
    expect(await metrics.current({ metric: 'some_mem_psi_us', target: 1 })).toBe(0); // the first read is the baseline
    expect(await metrics.current({ metric: 'some_mem_psi_us', target: 1 })).toBeGreaterThanOrEqual(0);
  });

  it('user_input follows feedback(); its score drives the quota (score 5000 grows esz_bp by half)', async () => {
    const t = sim({ quota: { time: 0, size: 0, resetInterval: '1s', goals: [{ metric: 'user_input', target: 10000 }] } });
    const quotas: QuotaReport[] = [];
    t.on('quota', (q) => quotas.push(q));
    t.feedback(5000);
    await t.step(400); // two windows
    expect(quotas.map((q) => q.score)).toEqual([5000, 5000]);
    // esz_bp: feed(10000, 5000) = 15000 → 1 byte; feed(15000, 5000) = 22500 → 2 bytes.
    expect(quotas.map((q) => q.esz)).toEqual([1, 2]);
    t.feedback(20000);
    await t.step(200);
    expect(quotas.at(-1)!.score).toBe(20000);
  });
});

describe('watermarks in the tuner', () => {
  it('free memory below `low` keeps the scheme inactive; inside the band it applies', async () => {
    const off = sim({ watermarks: { metric: 'free_mem_rate', interval: '1s', high: '100%', mid: '100%', low: '100%' } });
    const skipped = (await off.step(100)).map((r) => r.skipped);
    expect(skipped.every((s) => s === 'watermark')).toBe(true);
    const on = sim({ watermarks: { metric: 'free_mem_rate', interval: '1s', high: '100%', mid: '0.1%', low: 0 } });
    const reports = await on.step(100);
    expect(reports.every((r) => r.skipped === null)).toBe(true);
    expect(on.stats().schemes[0]!.stats.units.collapsed).toBeGreaterThan(0);
  });
});
