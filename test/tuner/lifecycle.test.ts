// The tuner never harms its host: errors become events, nothing it schedules keeps the
// process alive, and stop(), an AbortSignal and `await using` all end it cleanly.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PagemapSource, ReferencedSource, allocAligned, HugepageTuner, NotSupportedError } from '../../lib/index.js';
import { pagemapUnavailable } from '../helpers/pagemap.js';
import { sourceUnavailable } from '../helpers/sources.js';
import { distEntry } from '../helpers/dist-entry.js';

const M = 2 ** 21;
const BASE = 0x7f00_0000_0000;
const sim = () =>
  new HugepageTuner({
    source: { kind: 'sim', mappings: [{ start: BASE, end: BASE + 32 * M }], workload: { hot: [{ start: BASE, end: BASE + 8 * M }], accessesPer5ms: 2000 } },
    schemes: [{ pattern: { accessRate: { min: '5%' } }, quota: { goals: [] } }],
    warmupAggregations: 0,
  });

const pagemapMissing = pagemapUnavailable();
const referencedMissing = sourceUnavailable('referenced');
if (pagemapMissing) console.log(`real-memory lifecycle tests skipped: ${pagemapMissing}`);

describe('errors never reach the host', () => {
  it('a throwing listener becomes an error event; without error listeners it is kept in stats().lastError', async () => {
    const t = sim();
    const errors: Error[] = [];
    t.on('error', (e) => errors.push(e));
    t.on('apply', () => {
      throw new Error('listener bug');
    });
    await t.step(40);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]!.message).toBe('listener bug');
    const quiet = sim();
    quiet.on('quota', () => {
      throw new Error('quota listener bug');
    });
    await quiet.step(40);
    expect(quiet.stats().lastError?.message).toBe('quota listener bug');
  });

  it('step() and start() say which kind of process each is for', async () => {
    expect(() => sim().start()).toThrow(NotSupportedError);
    await expect(new HugepageTuner().step(1)).rejects.toThrow(NotSupportedError);
  });

  it('another process needs an access source this machine lacks: a NotSupportedError says why', () => {
    expect(() => new HugepageTuner({ pid: 1 })).toThrow(/another process/);
  });

  it('feedback() and update() validate their input and update keeps quota state', async () => {
    const t = sim();
    expect(() => t.feedback(-1)).toThrow(/value must be an integer/);
    t.feedback(5000);
    await t.step(40);
    const before = t.stats().schemes[0]!.stats.nrTried;
    t.update({ schemes: [{ quota: { time: '20ms' } }] });
    expect(t.options.schemes[0]!.quota.ms).toBe(20);
    expect(t.options.schemes[0]!.pattern).toEqual({ accessRate: { min: '5%' } });
    expect(t.stats().schemes[0]!.stats.nrTried).toBe(before);
    expect(() => t.update({ pid: 3 } as never)).toThrow(/pid must be absent in update/);
    expect(() => t.update({ maxPtesNone: 600 })).toThrow(/maxPtesNone must be an integer from 0 to 511/);
  });
});

describe.skipIf(pagemapMissing !== null)('on real memory', () => {
  it('stops on stop(), on abort and on `await using`, leaving no registration or VMA split behind', async () => {
    const buffer = allocAligned(64 * 2 ** 20);
    new Uint8Array(buffer).fill(1);
    // The default source is referenced where the kernel offers it, else pagemap.
    const d = new HugepageTuner();
    d.start();
    await new Promise((r) => setTimeout(r, 400));
    expect(d.monitor?.source).toBeInstanceOf(referencedMissing === null ? ReferencedSource : PagemapSource);
    await d.stop();
    expect(d.running).toBe(false);

    const t = new HugepageTuner({ source: 'pagemap' });
    t.start();
    await new Promise((r) => setTimeout(r, 400));
    expect(t.running).toBe(true);
    expect((t.monitor?.source as PagemapSource | undefined)?.registeredBytes()).toBeGreaterThan(0);
    await t.stop();
    expect(t.running).toBe(false);
    expect((t.monitor?.source as PagemapSource | undefined)?.registeredBytes()).toBe(0);

    if (referencedMissing === null) {
      // The source's own options pass through the tuner's description of it.
      const r = new HugepageTuner({ source: { kind: 'referenced', minInterval: '2s' } });
      r.start();
      await new Promise((resolve) => setTimeout(resolve, 400));
      const source = r.monitor?.source;
      expect(source).toBeInstanceOf(ReferencedSource);
      expect((source as ReferencedSource).state().markedRanges).toBeGreaterThan(0);
      for (let waited = 0; waited < 30_000 && (source as ReferencedSource).state().cycles < 1; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      expect((source as ReferencedSource).state().intervalMs).toBeGreaterThanOrEqual(2000);
      await r.stop();
      expect((source as ReferencedSource).state().markedRanges).toBe(0);
    }

    const ac = new AbortController();
    const a = new HugepageTuner({ signal: ac.signal });
    a.start();
    await new Promise((r) => setTimeout(r, 300));
    ac.abort();
    await new Promise((r) => setTimeout(r, 300));
    expect(a.running).toBe(false);

    {
      await using d = new HugepageTuner();
      d.start();
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(new Uint8Array(buffer)[12345]).toBe(1);
  });

  it('does not keep a process alive: a script that starts it and returns exits on its own', () => {
    const script = `const t = require(${JSON.stringify(distEntry)}); const b = t.allocAligned(32 * 2 ** 20); new Uint8Array(b).fill(1); new t.HugepageTuner().start(); setTimeout(() => console.log('done'), 500);`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('done');
  });
});
