// The referenced source's rate probe (`rateWindow`, docs/sources.md "Rate probe"): besides its
// windows, each opening arms one mostly-used cell for a few ms and reports how many of its
// resident pages were used in that time. What the API promises is checked (samples inside the
// monitored memory, counts within the cell, windows within the allowed range), not one run's rates.
import { describe, expect, it } from 'vitest';
import { AccessMonitor, addressOf, allocAligned, InvalidArgumentError, ReferencedSource, type RateSample } from '../../lib/index.js';
import { sourceUnavailable } from '../helpers/sources.js';

const unavailable = sourceUnavailable('referenced');
if (unavailable) console.log(`referenced rate probe test skipped: ${unavailable}`);

const UNIT = 2 ** 21;

describe('ReferencedSource rateWindow: bad values', () => {
  it.each([['0.5ms'], ['60ms'], [-1], ['soon']])('refuses %j, naming the field', (rateWindow) => {
    const make = () => new ReferencedSource({ rateWindow } as never);
    if (unavailable) return;
    expect(make).toThrow(InvalidArgumentError);
    expect(make).toThrow(/rateWindow/);
  });
});

describe.skipIf(unavailable !== null)('ReferencedSource rate probe', { timeout: 90_000 }, () => {
  it('reports rate windows of mostly-used cells while a buffer is read, within the cell and the allowed window', async () => {
    const buffer = allocAligned(16 * UNIT);
    const bytes = new Uint8Array(buffer);
    bytes.fill(1);
    const source = new ReferencedSource({ minInterval: '100ms', cpuBudget: 1, programBudget: 1, rateWindow: '20ms' });
    const m = new AccessMonitor({ source, targets: [{ ranges: [buffer] }], monitoring: { sampleInterval: '5ms', aggregationInterval: '100ms', maxRegions: 16 } });
    let reading = true;
    let sum = 0;
    const read = () => {
      if (!reading) return;
      for (let i = 0; i < bytes.length; i += 4096) sum += bytes[i]!;
      setImmediate(read);
    };
    m.start();
    read();
    const samples: RateSample[] = [];
    for (let waited = 0; waited < 60_000 && samples.length < 4; waited += 50) {
      await new Promise((r) => setTimeout(r, 50));
      samples.push(...source.takeRateSamples());
    }
    const state = source.state();
    reading = false;
    await m.stop();
    expect(sum).toBeGreaterThan(0);
    expect(samples.length).toBeGreaterThanOrEqual(4);
    expect(state.rateSamples).toBeGreaterThanOrEqual(samples.length);
    const start = Number(addressOf(buffer));
    for (const s of samples) {
      // A cell of the buffer, one VMA of 2 MiB: its resident bytes at most its size, its used ones at most those.
      expect(s.start).toBeGreaterThanOrEqual(start);
      expect(s.end).toBeLessThanOrEqual(start + buffer.byteLength);
      expect(s.end - s.start).toBe(UNIT);
      expect(s.residentBytes).toBeGreaterThan(0);
      expect(s.residentBytes).toBeLessThanOrEqual(UNIT);
      expect(s.referencedBytes).toBeGreaterThanOrEqual(0);
      expect(s.referencedBytes).toBeLessThanOrEqual(s.residentBytes);
      // From arming to the smaps read reaching the cell: at least the (adapted) wait, at least 1 ms.
      expect(s.windowMs).toBeGreaterThanOrEqual(1);
      expect(s.windowMs).toBeLessThan(10_000);
      expect(s.accessBitNs).toBeGreaterThanOrEqual(0);
    }
    // The wait adapts within 1..50 ms.
    expect(state.rateWindowMs).toBeGreaterThanOrEqual(1);
    expect(state.rateWindowMs).toBeLessThanOrEqual(50);
    // Taken samples are not given twice.
    expect(source.takeRateSamples().length).toBeLessThanOrEqual(1);
  });
});
