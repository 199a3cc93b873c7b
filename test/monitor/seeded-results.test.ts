// Pins what seeded stepped runs deliver, snapshot for snapshot: work on the sampler's speed
// (how the sim source finds its page-table entries, how the core tests its same-folio cache
// and computes the moving sum) must not change a single result. Each digest is a SHA-256 of
// every region of every snapshot of the run, recorded with the build of commit 37bbcba,
// before that work. A deliberate change of the monitor's semantics changes the digests: then
// record them again and say why in the commit.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PatternSource, SimulatedSource, AccessMonitor, type MonitorSnapshot } from '../../lib/index.js';

const BASE = 0x7f00_0000_0000;
const MiB = 2 ** 20;
const UNIT = 2 * MiB;

function digest(snapshots: MonitorSnapshot[]): string {
  const hash = createHash('sha256');
  for (const s of snapshots) {
    // Hashed as recorded: intervals in whole us, addresses in decimal (a bigint prints as the number did).
    hash.update(`${s.aggregation} ${Math.round(s.sampleIntervalMs * 1000)} ${Math.round(s.aggregationIntervalMs * 1000)}\n`);
    for (const r of s.regions) hash.update(`${r.target} ${r.start} ${r.end} ${r.nrAccesses} ${r.nrAccessesBp} ${r.age}\n`);
  }
  return hash.digest('hex');
}

describe('seeded stepped runs deliver the recorded snapshots', () => {
  it('sim source: 4 KiB and 2 MiB pages, two targets, the hot set moving and the table changing between steps', () => {
    const m = new AccessMonitor({
      monitoring: { sampleInterval: '1ms', aggregationInterval: '20ms', minRegions: 20, maxRegions: 200 },
      targets: [{ ranges: [{ start: BASE, end: BASE + 256 * UNIT }] }, { ranges: [{ start: BASE + 512 * UNIT, end: BASE + 640 * UNIT }] }],
      source: new SimulatedSource({
        mappings: [
          { start: BASE, end: BASE + 64 * UNIT, pageSize: '2m' },
          { start: BASE + 64 * UNIT, end: BASE + 256 * UNIT },
          { start: BASE + 512 * UNIT, end: BASE + 640 * UNIT },
        ],
        workload: {
          hot: [
            { start: BASE + 8 * UNIT, end: BASE + 20 * UNIT },
            { start: BASE + 100 * UNIT, end: BASE + 110 * UNIT },
            { start: BASE + 600 * UNIT, end: BASE + 604 * UNIT },
          ],
          hotShare: 0.95,
          accessesPer5ms: 4000,
          writeFraction: 0.3,
        },
      }),
      seed: 11,
    });
    const snapshots = m.step(300);
    m.source.setHotSet([{ start: BASE + 120 * UNIT, end: BASE + 140 * UNIT }]);
    snapshots.push(...m.step(150));
    // Memory operations between steps change the table's structure under the sampler.
    expect(m.source.collapse(BASE + 121 * UNIT, 511).status).toBe('collapsed');
    expect(m.source.split(BASE + 9 * UNIT)).toBe(true);
    expect(m.source.discard([{ start: BASE + 130 * UNIT, end: BASE + 132 * UNIT + 64 * 1024 }])).toBeGreaterThan(0);
    snapshots.push(...m.step(150));
    expect(m.source.unmap([{ start: BASE + 600 * UNIT, end: BASE + 620 * UNIT }])).toBe(20 * UNIT);
    snapshots.push(...m.step(150));
    expect(snapshots.length).toBe(37);
    expect(digest(snapshots)).toBe('13166f33aa02d169d8356728a6ad4886c848c09235fb87ae3e3c789e3ef48808');
  });

  it('sim source: a monitored GiB unmapped whole, its freed tables reused by a split elsewhere', () => {
    const G = 2 ** 30;
    const m = new AccessMonitor({
      monitoring: { minRegions: 50, maxRegions: 200 },
      targets: [{ ranges: [{ start: BASE + G, end: BASE + G + 128 * UNIT }] }],
      source: new SimulatedSource({
        mappings: [
          { start: BASE, end: BASE + 4 * UNIT, pageSize: '2m' },
          { start: BASE + G, end: BASE + G + 128 * UNIT },
        ],
        workload: {
          hot: [
            { start: BASE, end: BASE + 4 * UNIT },
            { start: BASE + G + 10 * UNIT, end: BASE + G + 30 * UNIT },
          ],
          hotShare: 0.9,
          accessesPer5ms: 2000,
        },
      }),
      seed: 13,
    });
    const snapshots = m.step(200);
    expect(m.source.unmap([{ start: BASE + G, end: BASE + G + 128 * UNIT }])).toBe(128 * UNIT);
    // The split takes a table id the unmap freed (the GiB's PMD table is freed last, reused first).
    expect(m.source.split(BASE + UNIT)).toBe(true);
    const after = m.step(100);
    expect(after.every((s) => s.regions.every((r) => r.nrAccesses === 0))).toBe(true);
    snapshots.push(...after);
    expect(digest(snapshots)).toBe('592763cd5fd5090dfb6b814a8a82b086d0236155faee3700fd6c6d6dfa5e7773');
  });

  it('pattern source: access probabilities that vary across regions, intervals auto-tuned', () => {
    const m = new AccessMonitor({
      monitoring: { minRegions: 10, maxRegions: 300, intervalsGoal: { access: '4%', aggregations: 3, minSampleInterval: '1ms', maxSampleInterval: '20ms' } },
      targets: [{ ranges: [{ start: BASE, end: BASE + 512 * MiB }] }],
      source: new PatternSource({
        hot: [
          { start: BASE + 16 * MiB, end: BASE + 48 * MiB, probability: 0.9 },
          { start: BASE + 100 * MiB, end: BASE + 180 * MiB, probability: 0.3 },
          { start: BASE + 300 * MiB, end: BASE + 310 * MiB, probability: 0.05 },
        ],
      }),
      seed: 12,
    });
    const snapshots = m.step(1500);
    expect(snapshots.length).toBeGreaterThan(10);
    expect(digest(snapshots)).toBe('a87e996bdc0a0d19e3f5c03eb71363a0feb339f7c73be295bb4449ee462f7de5');
  });
});
