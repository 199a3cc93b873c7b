// The referenced source's state() speaks the API's vocabulary (docs/conventions.md): times in
// ms, a cost per page in ns; what the addon counts in ns and us comes out converted.
import { describe, expect, it } from 'vitest';
import { AccessMonitor, addressOf, allocAligned, ReferencedSource } from '../../lib/index.js';
import { vmaContaining } from '../helpers/smaps-oracle.js';
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
    expect(Object.keys(s).sort()).toEqual([
      'accessBitNs',
      'armedCells',
      'armingStallMs',
      'carriedCells',
      'cellBytes',
      'cycles',
      'intervalMs',
      'lastCycleCpuMs',
      'lastWindowMs',
      'lastWindowProgramMs',
      'markedRanges',
      'rateSamples',
      'rateWindowMs',
      'totalCycleCpuMs',
    ]);
    expect(s.cycles).toBeGreaterThanOrEqual(3);
    // A window's smaps read and arming of 16 MiB costs well under a second of CPU, more than nothing.
    expect(s.lastCycleCpuMs).toBeGreaterThan(0);
    expect(s.lastCycleCpuMs).toBeLessThan(1000);
    expect(s.totalCycleCpuMs).toBeGreaterThanOrEqual(s.lastCycleCpuMs);
    // The wait between windows is at least minInterval, and so is a completed window.
    expect(s.intervalMs).toBeGreaterThanOrEqual(20);
    expect(s.lastWindowMs).toBeGreaterThanOrEqual(20);
    // No rate probe unless asked for.
    expect(s.rateWindowMs).toBe(0);
    expect(s.rateSamples).toBe(0);
    // 8 cells of 2 MiB, alternate ones marked; the regions (10 at least) arm every cell they
    // reach, never more than the cells there are.
    expect(s.cellBytes).toBe(2 ** 21);
    expect(s.markedRanges).toBe(4);
    expect(s.armedCells).toBeGreaterThan(0);
    expect(s.armedCells).toBeLessThanOrEqual(8);
    // A window's cost to the program is the armed pages used in it times the cost per page
    // measured when it opened (ns -> ms), at most every page of the 8 cells, plus the time
    // arming took (a real duration: more than nothing).
    expect(s.armingStallMs).toBeGreaterThan(0);
    expect(s.armingStallMs).toBeLessThan(1000);
    expect(s.lastWindowProgramMs).toBeGreaterThanOrEqual(s.armingStallMs);
    expect(s.lastWindowProgramMs).toBeLessThanOrEqual((bytes.length / 4096) * s.accessBitNs * 1e-6 + s.armingStallMs + 1e-9);
  });

  it('clears the Accessed bits of the cells it arms only: memory outside the monitored ranges keeps them', async () => {
    const buffer = allocAligned(16 * 2 ** 20);
    const bytes = new Uint8Array(buffer);
    bytes.fill(1);
    // Another mapping, used once before the monitor starts and never again.
    const outside = new Uint8Array(allocAligned(8 * 2 ** 20));
    outside.fill(1);
    const source = new ReferencedSource({ minInterval: '20ms', cpuBudget: 1, programBudget: 1 });
    const m = new AccessMonitor({ source, targets: [{ ranges: [buffer] }], monitoring: { sampleInterval: '5ms', aggregationInterval: '50ms' } });
    m.start();
    for (let waited = 0; waited < 30_000 && source.state().cycles < 3; waited += 20) await new Promise((r) => setTimeout(r, 20));
    const cycles = source.state().cycles;
    const after = vmaContaining('self', addressOf(outside.buffer));
    await m.stop();
    expect(cycles).toBeGreaterThanOrEqual(3);
    // Whatever else shares its VMA, the 8 MiB used before the start are still referenced (a
    // whole-process clear would have cleared them), and memory contents are unchanged.
    expect(after.referencedBytes).toBeGreaterThanOrEqual(outside.length);
    expect(outside.every((b) => b === 1)).toBe(true);
  });
});
