// Regression (issue "Reliability"): a stopped pagemap monitor kept its /proc/self/pagemap
// descriptor until garbage collection (50 monitors: 20 fds before, 120 running, 71 after
// stop()). Every descriptor a monitor opens (pagemap, userfaultfd) is closed when stop()
// resolves, and opened again by the next start().
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PagemapSource, AccessMonitor, allocAligned } from '../../lib/index.js';
import { pagemapUnavailable } from '../helpers/pagemap.js';

const pagemapMissing = pagemapUnavailable();
if (pagemapMissing) console.log(`descriptor release test skipped: ${pagemapMissing}`);

const openFds = () => readdirSync('/proc/self/fd').length;
const MONITORS = 50;

describe.skipIf(pagemapMissing !== null)('a stopped monitor holds no descriptor', () => {
  it(`${MONITORS} pagemap monitors: descriptors back to the count before them once stop() resolves, without GC`, async () => {
    const buffer = allocAligned(4 * 2 ** 20);
    new Uint8Array(buffer).fill(1);
    // A source feeds one monitor: each monitor gets its own.
    const options = () => ({ source: new PagemapSource(), targets: [{ ranges: [buffer] }], sampleInterval: 1, aggregationInterval: 2 });
    const before = openFds();
    // The monitors stay referenced to the end, so no finalizer can close anything for them.
    const monitors = Array.from({ length: MONITORS }, () => new AccessMonitor(options()));
    expect(openFds()).toBeLessThanOrEqual(before); // a monitor not started holds nothing either
    for (const m of monitors) m.start();
    await Promise.all(monitors.map((m) => new Promise((resolve) => m.once('aggregate', resolve))));
    expect(openFds()).toBeGreaterThanOrEqual(before + MONITORS); // each running monitor holds its own
    await Promise.all(monitors.map((m) => m.stop()));
    expect(openFds()).toBeLessThanOrEqual(before);
    // A restart opens them again and samples as before.
    monitors[0]!.start();
    await new Promise((resolve) => monitors[0]!.once('aggregate', resolve));
    await monitors[0]!.stop();
    expect(openFds()).toBeLessThanOrEqual(before);
    expect(monitors.every((m) => !m.running)).toBe(true);
  });
});
