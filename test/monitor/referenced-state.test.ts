// The referenced source's state() speaks the API's vocabulary (docs/conventions.md): times in
// ms, a cost per page in ns; what the addon counts in ns and us comes out converted.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AccessMonitor, allocAligned, ReferencedSource } from '../../lib/index.js';
import { sourceUnavailable } from '../helpers/sources.js';

const unavailable = sourceUnavailable('referenced');
if (unavailable) console.log(`referenced state test skipped: ${unavailable}`);

describe.skipIf(unavailable !== null)('ReferencedSource.state()', { timeout: 60_000 }, () => {
  it('gives its windows in ms after a few of them', async () => {
    const buffer = allocAligned(16 * 2 ** 20);
    const bytes = new Uint8Array(buffer);
    bytes.fill(1);
    const source = new ReferencedSource({ minInterval: '20ms', cpuBudget: 1, programBudget: 1 });
    const m = new AccessMonitor({ source, targets: [{ ranges: [buffer] }], monitoring: { sampleInterval: '5ms', aggregationInterval: '50ms' } });
    m.start();
    for (let waited = 0; waited < 30_000 && source.state().cycles < 3; waited += 20) {
      for (let i = 0; i < bytes.length; i += 4096) bytes[i]!++;
      await new Promise((r) => setTimeout(r, 20));
    }
    const s = source.state();
    await m.stop();
    expect(Object.keys(s).sort()).toEqual(['accessBitNs', 'cellBytes', 'cycles', 'intervalMs', 'lastCycleCpuMs', 'lastWindowProgramMs', 'markedRanges', 'totalCycleCpuMs']);
    expect(s.cycles).toBeGreaterThanOrEqual(3);
    // A window's smaps read and clear of 16 MiB costs well under a second of CPU, more than nothing.
    expect(s.lastCycleCpuMs).toBeGreaterThan(0);
    expect(s.lastCycleCpuMs).toBeLessThan(1000);
    expect(s.totalCycleCpuMs).toBeGreaterThanOrEqual(s.lastCycleCpuMs);
    // The wait between clears is at least minInterval.
    expect(s.intervalMs).toBeGreaterThanOrEqual(20);
    // The program's cost of a window is the process's referenced anonymous 4 KiB pages in it
    // times the cost per page measured for that window (ns -> ms): at most all anonymous memory
    // of the process. (How much of it the loop touched within one window depends on the load.)
    const anonymousPages = (Number(/^Anonymous:\s+(\d+) kB/m.exec(readFileSync('/proc/self/smaps_rollup', 'utf8'))?.[1]) * 1024) / 4096;
    expect(s.lastWindowProgramMs).toBeLessThanOrEqual(anonymousPages * s.accessBitNs * 1e-6 + 1e-9);
  });
});
