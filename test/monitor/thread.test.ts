// The monitor thread: delivery, pull, stop, update, AbortSignal, async iteration and
// disposal; several monitors at once, in worker_threads, and a process that exits while a
// monitor runs.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { PatternSource, AccessMonitor, type MonitorSnapshot } from '../../lib/index.js';
import { packageRoot } from '../../lib/native/binding.js';
import { addonPath } from '../helpers/addon-path.js';

const BASE = 0x7f00_0000_0000;
const MiB = 2 ** 20;
const options = (seed = 1) => ({
  monitoring: { sampleInterval: '1ms' as const, aggregationInterval: '20ms' as const },
  targets: [{ ranges: [{ start: BASE, end: BASE + 64 * MiB }] }],
  source: new PatternSource({ hot: [{ start: BASE + 8 * MiB, end: BASE + 12 * MiB, probability: 0.5 }] }),
  seed,
});

// Plain CommonJS that loads the addon the package loads (THP_AUTOTUNE_NATIVE included), for
// child processes and workers.
const loadAddon = `require(${JSON.stringify(addonPath())})`;
const nativeOptions = `{ attrs: { sampleUs: 1000, aggrUs: 20000 }, targets: [{ ranges: [[${BASE}, ${BASE + 64 * MiB}]] }], source: new addon.PatternSource([], [[${BASE}, ${BASE + MiB}, 10000]]), seed: 1 }`;

describe('AccessMonitor thread', () => {
  it('delivers snapshots each aggregation, offers the latest, and stops without blocking', async () => {
    const m = new AccessMonitor(options());
    expect(m.snapshot()).toBeNull();
    const got: MonitorSnapshot[] = [];
    m.on('aggregate', (s) => got.push(s));
    m.start();
    expect(m.running).toBe(true);
    while (got.length < 5) await new Promise((r) => setTimeout(r, 20));
    // Bounds far above the expected figures (under 1 ms to signal, a few ms to join at 1 ms
    // samples), so that a busy machine cannot fail them but a blocking stop() would.
    const t0 = performance.now();
    const stopping = m.stop();
    expect(performance.now() - t0).toBeLessThan(500); // stop() itself only signals
    await stopping;
    expect(performance.now() - t0).toBeLessThan(5000); // the thread wakes at once
    expect(m.running).toBe(false);
    expect(got.length).toBeGreaterThanOrEqual(5);
    got.forEach((s, i) => {
      expect(s.aggregation).toBe(i + 1);
      expect(s.signal).toBe('access');
      expect(s.elapsedMs).toBeGreaterThan(15);
    });
    expect(m.snapshot()?.aggregation).toBe(got.at(-1)!.aggregation);
    const hot = got.at(-1)!.regions.filter((r) => r.nrAccesses > 0);
    expect(hot.every((r) => r.start >= BigInt(BASE + 8 * MiB - 8 * MiB) && r.end <= BigInt(BASE + 12 * MiB + 8 * MiB))).toBe(true);
  });

  it('applies update() while running from the next sampling step', async () => {
    const m = new AccessMonitor(options());
    m.start();
    await new Promise((r) => setTimeout(r, 60));
    m.update({ aggregationInterval: '40ms' });
    const seen: number[] = [];
    for await (const s of m) {
      seen.push(s.aggregationIntervalMs);
      if (seen.length >= 3) break;
    }
    await m.stop();
    expect(seen.at(-1)).toBe(40);
    expect(m.attributes().aggregationIntervalMs).toBe(40);
  });

  it('stops on abort, ends async iteration, and disposes with await using semantics', async () => {
    const controller = new AbortController();
    const m = new AccessMonitor({ ...options(), signal: controller.signal });
    m.start();
    setTimeout(() => controller.abort(), 100);
    let n = 0;
    for await (const _ of m) n++;
    expect(n).toBeGreaterThan(0);
    expect(m.running).toBe(false);
    const d = new AccessMonitor(options()).start();
    await d[Symbol.asyncDispose]();
    expect(d.running).toBe(false);
  });

  it('runs several monitors at once', async () => {
    const ms = [1, 2, 3].map((seed) => new AccessMonitor(options(seed)).start());
    // Each delivers its own aggregations concurrently (waiting on events, not on a clock).
    await Promise.all(
      ms.map(async (m) => {
        for await (const s of m) if (s.aggregation >= 3) break;
      }),
    );
    expect(ms.every((m) => m.running)).toBe(true);
    await Promise.all(ms.map((m) => m.stop()));
    for (const m of ms) expect(m.snapshot()!.aggregation).toBeGreaterThanOrEqual(3);
  });

  it('works in worker_threads, also when the worker is terminated while it runs', async () => {
    const code = `
      const { parentPort } = require('node:worker_threads');
      const addon = ${loadAddon};
      const m = new addon.AccessMonitor(${nativeOptions});
      let n = 0;
      m.start((kind) => { if (kind === 'aggregate' && ++n === 3) parentPort.postMessage(n); });
      setInterval(() => {}, 1000);
    `;
    for (let i = 0; i < 3; i++) {
      const w = new Worker(code, { eval: true });
      const first = await new Promise((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
      });
      expect(first).toBe(3);
      const exit = await w.terminate();
      expect(exit).toBe(1);
    }
  });

  it('lets a process exit while a monitor runs (unstopped, and with process.exit)', () => {
    for (const ending of ['', 'setTimeout(() => process.exit(0), 50);']) {
      const script = `
        const addon = ${loadAddon};
        const m = new addon.AccessMonitor(${nativeOptions});
        m.start(() => {});
        ${ending}
      `;
      const t0 = Date.now();
      const r = spawnSync(process.execPath, ['-e', script], { timeout: 20_000, encoding: 'utf8', cwd: path.join(packageRoot()) });
      expect(r.stderr).toBe('');
      expect(r.signal).toBeNull();
      expect(r.status).toBe(0);
      // A monitor that kept the process alive would hit the 20 s timeout; Node's own start
      // takes most of this on a busy machine.
      expect(Date.now() - t0).toBeLessThan(10_000);
    }
  });
});
