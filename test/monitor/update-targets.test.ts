// AccessMonitor.updateTargets: new ranges for fixed targets keep the history of the regions
// that still overlap them (the kernel's damon_set_regions), stepped on the pattern source; the
// same while the thread runs on real memory, where the pagemap source follows the ranges.
import { describe, expect, it } from 'vitest';
import { AccessMonitor, InvalidArgumentError, PagemapSource, PatternSource, addressOf, allocAligned, type MonitorSnapshot } from '../../lib/index.js';
import { pagemapUnavailable } from '../helpers/pagemap.js';
import { vmaContaining } from '../helpers/smaps-oracle.js';

const MiB = 2 ** 20;
const BASE = 2 ** 40;
const big = (n: number) => BigInt(n);

function covered(s: MonitorSnapshot): [bigint, bigint][] {
  const out: [bigint, bigint][] = [];
  for (const r of s.regions) {
    const last = out.at(-1);
    if (last && last[1] === r.start) last[1] = r.end;
    else out.push([r.start, r.end]);
  }
  return out;
}

/** Whether the kernel has the VMA holding `address` registered for userfaultfd write-protection. */
const uffdWp = (address: bigint): boolean => vmaContaining('self', address).vmFlags.includes('uw');

describe('AccessMonitor.updateTargets', () => {
  const stepped = () =>
    new AccessMonitor({
      monitoring: { sampleInterval: '5ms', aggregationInterval: '100ms', minRegions: 10, maxRegions: 100 },
      targets: [{ ranges: [{ start: BASE, end: BASE + 64 * MiB }] }],
      source: new PatternSource({ hot: [{ start: BASE + 8 * MiB, end: BASE + 12 * MiB, probability: 1 }] }),
      seed: 3,
    });

  it('keeps the regions that still overlap, drops the others and starts new space fresh', () => {
    const m = stepped();
    const before = m.step(20 * 30).at(-1)!; // 30 aggregations
    expect(before.aggregation).toBe(30);
    const oldHot = before.regions.filter((r) => r.start < big(BASE + 12 * MiB) && r.end > big(BASE + 8 * MiB));
    expect(Math.max(...oldHot.map((r) => r.nrAccesses))).toBeGreaterThan(10);
    // Keep [0, 32) MiB of the old range, add [128, 160) MiB.
    m.updateTargets([
      {
        ranges: [
          { start: BASE, end: BASE + 32 * MiB },
          { start: BASE + 128 * MiB, end: BASE + 160 * MiB },
        ],
      },
    ]);
    const after = m.step(20).at(-1)!;
    // The count goes on: the same monitor, not a new one.
    expect(after.aggregation).toBe(31);
    expect(covered(after)).toEqual([
      [big(BASE), big(BASE + 32 * MiB)],
      [big(BASE + 128 * MiB), big(BASE + 160 * MiB)],
    ]);
    // The hot set was seen in the aggregation right after the change (its regions kept
    // their counts: a fresh region would start at 0 and still see it, so the age tells).
    const hot = after.regions.filter((r) => r.start < big(BASE + 12 * MiB) && r.end > big(BASE + 8 * MiB));
    expect(Math.max(...hot.map((r) => r.nrAccesses))).toBeGreaterThan(10);
    const keptAge = Math.max(...after.regions.filter((r) => r.end <= big(BASE + 32 * MiB)).map((r) => r.age));
    expect(keptAge).toBeGreaterThan(1);
    // New space: fresh regions, one aggregation old at most.
    for (const r of after.regions.filter((r) => r.start >= big(BASE + 128 * MiB))) {
      expect(r.age).toBeLessThanOrEqual(1);
      expect(r.nrAccesses).toBe(0);
    }
  });

  it('names the field and what is allowed when the targets do not fit the monitor', () => {
    const m = stepped();
    const fail = (targets: unknown) => {
      try {
        m.updateTargets(targets as never);
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidArgumentError);
        return (e as InvalidArgumentError).field;
      }
      throw new Error('no error');
    };
    const r = { start: BASE, end: BASE + MiB };
    expect(fail([{ ranges: [r] }, { ranges: [r] }])).toBe('targets');
    expect(fail([{}])).toBe('targets[0].ranges');
    expect(fail([{ ranges: [] }])).toBe('targets[0].ranges');
    expect(fail([{ ranges: [{ start: BASE + MiB, end: BASE }] }])).toBe('targets[0].ranges[0].end');
    expect(fail([{ ranges: [r, r] }])).toBe('targets[0].ranges[1].start');
    expect(fail('x')).toBe('targets');
    // An address-space target stays one.
    const whole = new AccessMonitor({ source: new PatternSource() });
    expect(() => whole.updateTargets([{ ranges: [r] }])).toThrow(/targets\[0\]\.ranges must be absent/);
    whole.updateTargets([{}]);
  });

  it('a change queued by a thread that stopped before applying it never overrides a later one', async () => {
    const range = (offset: number) => ({ start: BASE + offset * MiB, end: BASE + (offset + 8) * MiB });
    const m = new AccessMonitor({ monitoring: { sampleInterval: '1s', aggregationInterval: '1s' }, targets: [{ ranges: [range(0)] }], source: new PatternSource() });
    m.start();
    // Queued for the thread's next iteration, a second away: the stop comes first.
    m.updateTargets([{ ranges: [range(64)] }]);
    m.update({ aggregationInterval: '5s' });
    await m.stop();
    m.update({ sampleInterval: '1ms', aggregationInterval: '10ms' });
    m.updateTargets([{ ranges: [range(128)] }]);
    m.start();
    try {
      let first: MonitorSnapshot | undefined;
      for await (const s of m) {
        first = s;
        break;
      }
      expect(covered(first!)).toEqual([[big(range(128).start), big(range(128).end)]]);
      expect(m.attributes().aggregationIntervalMs).toBe(10);
    } finally {
      await m.stop();
    }
  });

  const noPagemap = pagemapUnavailable();
  if (noPagemap) console.log(`updateTargets on real memory skipped: ${noPagemap}`);
  it.skipIf(noPagemap !== null)('while running on real memory: the source watches the new ranges and lets go of the old', async () => {
    const a = allocAligned(8 * MiB);
    const b = allocAligned(8 * MiB);
    new Uint8Array(a).fill(1);
    new Uint8Array(b).fill(1);
    const source = new PagemapSource();
    const m = new AccessMonitor({ monitoring: { sampleInterval: '1ms', aggregationInterval: '10ms' }, targets: [{ ranges: [a] }], source });
    const next = async () => {
      for await (const s of m) return s;
      throw new Error('the monitor stopped');
    };
    m.start();
    try {
      await next();
      expect(source.registeredBytes()).toBe(8 * MiB);
      expect(uffdWp(addressOf(a))).toBe(true);
      m.updateTargets([{ ranges: [b] }]);
      // Applied at the thread's next iteration: within a few aggregations every snapshot covers b only.
      let s = await next();
      for (let i = 0; i < 50 && covered(s)[0]![0] !== addressOf(b); i++) s = await next();
      expect(covered(s)).toEqual([[addressOf(b), addressOf(b) + big(8 * MiB)]]);
      expect(source.registeredBytes()).toBe(8 * MiB);
      expect(uffdWp(addressOf(b))).toBe(true);
      expect(uffdWp(addressOf(a))).toBe(false); // given back, not left registered until stop
      expect(s.aggregation).toBeGreaterThan(1);
    } finally {
      await m.stop();
    }
    expect(source.registeredBytes()).toBe(0);
    expect(uffdWp(addressOf(b))).toBe(false);
  });
});
