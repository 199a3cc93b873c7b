// The pagemap source on real memory, in child processes (it monitors its own process):
// accuracy against a known written hot set, and teardown: stop mid-sample, memory unmapped
// while monitored, process exit while running; no userfaultfd registration is left behind.
import { spawnAsync } from '../helpers/spawn-async.js';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PagemapSource, AccessMonitor, addressOf, allocAligned, collapse, madvise } from '../../lib/index.js';
import { adviseCollapse, collapseUnavailable } from '../helpers/memory.js';
import { addonPath } from '../helpers/addon-path.js';
import { pagemapUnavailable } from '../helpers/pagemap.js';
import { accuracyRuns, type HotSetRun } from './hot-set-accuracy.js';

const unavailable = pagemapUnavailable();
if (unavailable) console.log(`pagemap source tests skipped: ${unavailable}`);

async function runChild(scenario: string, nodeArgs: string[] = [], seed = 1) {
  const r = await spawnAsync(process.execPath, [...nodeArgs, path.join(__dirname, 'fixtures/pagemap-child.cjs'), addonPath(), scenario, String(seed)], {
    // Quiet, the longest scenario takes about 4 s; with both cores busy it has taken over 30, and
    // the accuracy scenario then runs up to 3 times its aggregations (hot-set.cjs, "fed").
    timeoutMs: 200_000,
  });
  expect(r.signal).toBeNull();
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

describe.skipIf(unavailable !== null)('pagemap source', { timeout: 220_000 }, () => {
  it('finds a written 5% hot set of a 1 GiB buffer and follows it when it moves', async () => {
    // "Within 10 (20) aggregations" in which the program touched its hot set: real time on a
    // shared machine makes single aggregations noisy, so the criterion is that one of them meets it.
    const { met, summaries } = await accuracyRuns('pagemap', async (seed) => {
      const run = (await runChild('accuracy', [], seed)) as HotSetRun & { error: string | null; registeredAfter: number; uffdWpVmas: number };
      expect(run.error).toBeNull();
      expect(run.registeredAfter).toBe(0);
      expect(run.uffdWpVmas).toBe(0);
      return run;
    });
    expect(met, summaries.join('; ')).toBe(true);
  }, 420_000);

  it('leaves nothing registered when stopped, also mid-sample', async () => {
    const out = (await runChild('stopDuringSample')) as { rounds: number; leftovers: number[]; registeredWhileRunning: number };
    expect(out.registeredWhileRunning).toBeGreaterThan(0); // the oracle does see registrations
    expect(out.rounds).toBe(20);
    expect(out.leftovers).toEqual(Array(20).fill(0));
  });

  it('keeps running when monitored memory is unmapped, reporting no writes there', async () => {
    const out = (await runChild('unmapWhileMonitored', ['--expose-gc'])) as { unmapped: boolean; after: number[]; error: string | null; registeredAfter: number; uffdWpVmas: number };
    expect(out.error).toBeNull();
    if (!out.unmapped) console.log('the buffer was not collected in time: unmap not exercised');
    expect(out.unmapped).toBe(true);
    expect(out.after.length).toBeGreaterThan(3);
    expect(out.after.slice(1).every((n) => n === 0)).toBe(true);
    expect(out.registeredAfter).toBe(0);
    expect(out.uffdWpVmas).toBe(0);
  });

  it('lets the process exit while the monitor runs', async () => {
    const out = (await runChild('exitWhileRunning')) as { uffdWpVmas: number };
    expect(out.uffdWpVmas).toBeGreaterThan(0);
  });

  it('clears write-protection so a monitored range can be collapsed', async (ctx) => {
    const reason = await collapseUnavailable();
    if (reason) {
      console.log(`collapse part skipped: ${reason}`);
      ctx.skip();
    }
    const buf = allocAligned(4 * 2 ** 20);
    new Uint8Array(buf).fill(7);
    const m = new AccessMonitor({ monitoring: { minRegions: 3, maxRegions: 3 }, targets: [{ ranges: [buf] }], source: new PagemapSource(), seed: 2 });
    const [first] = m.step(20);
    const start = addressOf(buf);
    expect(first!.regions[0]!.start).toBe(start); // the buffer is the target
    expect(first!.regions.at(-1)!.end).toBe(start + BigInt(buf.byteLength));
    m.step(1); // one sampling page per region is write-protected now
    expect(m.source.registeredBytes()).toBe(buf.byteLength);
    // The verified fact this call exists for: collapse refuses memory with WP markers.
    await expect(madvise(buf, 'collapse')).rejects.toMatchObject({ errno: 'EINVAL' });
    m.source.unprotect(buf);
    await adviseCollapse(buf);
    expect(new Uint8Array(buf).every((b) => b === 7)).toBe(true);
    await m.stop();
    expect(m.source.registeredBytes()).toBe(0);
  });

  it('probes whole units: counts the pages written since the previous probe and protects them again', async () => {
    const buf = allocAligned(4 * 2 ** 20);
    const bytes = new Uint8Array(buf);
    bytes.fill(1);
    const m = new AccessMonitor({ monitoring: { minRegions: 3, maxRegions: 3 }, targets: [{ ranges: [buf] }], source: new PagemapSource(), seed: 2 });
    m.step(1); // registers the buffer
    expect(m.source.registeredBytes()).toBe(buf.byteLength);
    const start = Number(addressOf(buf));
    const units = [
      { start, end: start + 2 ** 21 },
      { start: start + 2 ** 21, end: start + 2 ** 22 },
    ];
    // Opens each unit's window: pages never protected read as written, but a unit the first
    // sample landed in had all its resident pages protected then.
    const opened = await m.source.probe(units);
    expect(opened.every((n) => n !== null)).toBe(true);
    expect(await m.source.probe(units)).toEqual([0, 0]);
    for (let p = 0; p < 10; p++) bytes[p * 4096 + 5] = 2; // 10 pages of the first unit
    bytes[2 ** 21 + 7 * 4096] = 3; // 1 page of the second
    expect(await m.source.probe(units)).toEqual([10, 1]);
    expect(await m.source.probe(units)).toEqual([0, 0]);
    expect(await m.source.probe([{ start: 4096, end: 8192 }])).toEqual([null]); // not registered: no write can be seen
    m.source.unprotect(buf);
    await m.stop();
    expect(await m.source.probe(units)).toEqual([null, null]);
    expect(bytes[5]).toBe(2);
  });

  it('takes its own regions as they are: probe, unprotect and collapse of a snapshot region', async (ctx) => {
    const reason = await collapseUnavailable();
    if (reason) {
      console.log(`skipped: ${reason}`);
      ctx.skip();
    }
    const buf = allocAligned(16 * 2 ** 20);
    new Uint8Array(buf).fill(3);
    // Three regions of about 5.3 MiB: each holds at least one whole aligned 2 MiB unit.
    const m = new AccessMonitor({ monitoring: { minRegions: 3, maxRegions: 3 }, targets: [{ ranges: [buf] }], source: new PagemapSource(), seed: 2 });
    const region = m.step(20)[0]!.regions[1]!;
    expect(typeof region.start).toBe('bigint');
    expect((await m.source.probe([region]))[0]).not.toBeNull();
    m.source.pauseSampling(true);
    m.source.unprotect(region);
    const report = await collapse(region);
    m.source.pauseSampling(false);
    // Every whole unit inside the region, and only those, was collapsed.
    const unit = 2n ** 21n;
    const first = ((region.start + unit - 1n) / unit) * unit;
    const units = Number((region.end - first) / unit);
    expect(report.units.map((u) => [u.address, u.outcome])).toEqual(Array.from({ length: units }, (_, i) => [first + BigInt(i) * unit, 'collapsed']));
    expect(new Uint8Array(buf).every((b) => b === 3)).toBe(true);
    await m.stop();
  });
});
