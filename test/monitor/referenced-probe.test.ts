// ReferencedSource.probe(): what the source's windows saw of each 2 MiB unit. The tuner leaves a
// unit alone when a window saw it unused (lib/tuner/unit-ledger.ts observedVerdict), so the
// answers must be exact for idle memory and must reach beyond the eight cells per region of
// the last window once `maxAge` lets earlier windows count.
import { describe, expect, it } from 'vitest';
import { AccessMonitor, InvalidArgumentError, addressOf, allocAligned, ReferencedSource } from '../../lib/index.js';
import { sourceUnavailable } from '../helpers/sources.js';

const unavailable = sourceUnavailable('referenced');
if (unavailable) console.log(`referenced probe test skipped: ${unavailable}`);

const UNIT = 2 ** 21;
const PAGE = 4096;
const UNITS = 96; // three regions of 32 cells: eight of each armed per window
const HOT = 48; // the first half is read throughout, the second never again after filling

describe.skipIf(unavailable !== null)('ReferencedSource.probe()', { timeout: 120_000 }, () => {
  it("answers from each unit's latest window: idle units read 0, used ones more, and earlier windows add units", async () => {
    const buffer = allocAligned(UNITS * UNIT);
    const bytes = new Uint8Array(buffer);
    bytes.fill(1);
    const source = new ReferencedSource({ minInterval: '300ms', cpuBudget: 1, programBudget: 1 });
    const m = new AccessMonitor({
      source,
      targets: [{ ranges: [buffer] }],
      monitoring: { sampleInterval: '5ms', aggregationInterval: '300ms', minRegions: 3, maxRegions: 3 },
      seed: 5,
    });
    // The hot half is read continuously, yielding to the event loop between passes: a window
    // of 300 ms sees every hot cell used unless this thread is off the CPU for all of it.
    let reading = true;
    let sum = 0;
    const read = () => {
      if (!reading) return;
      for (let i = 0; i < HOT * UNIT; i += PAGE) sum += bytes[i]!;
      setImmediate(read);
    };
    m.start();
    read();
    for (let waited = 0; waited < 90_000 && source.state().cycles < 12; waited += 50) await new Promise((r) => setTimeout(r, 50));
    reading = false;
    const start = Number(addressOf(buffer));
    const units = Array.from({ length: UNITS }, (_, i) => ({ start: start + i * UNIT, end: start + (i + 1) * UNIT }));
    const last = await source.probe(units);
    const latest = await source.probe(units, { maxAge: '60min' });
    const cycles = source.state().cycles;
    await m.stop();
    expect(cycles).toBeGreaterThanOrEqual(12);
    expect(sum).toBeGreaterThan(0);

    // The last window armed at most eight cells of each of the three regions.
    const seenLast = last.filter((n) => n !== null).length;
    expect(seenLast).toBeGreaterThan(0);
    expect(seenLast).toBeLessThanOrEqual(24);
    // Twelve windows at offsets the samples chose reach most cells (each is missed by a
    // window with probability 3/4: by all twelve with 3%).
    const seen = latest.filter((n) => n !== null).length;
    expect(seen).toBeGreaterThan(Math.max(seenLast, 48));
    // A cell's latest window includes the last one: the two agree wherever the last saw it.
    last.forEach((n, i) => {
      if (n !== null) expect(latest[i]).toBe(n);
    });
    // Idle memory is exactly idle; used memory shows its use (a window of a thread descheduled
    // for all of its 300 ms may miss it, so nine in ten).
    const cold = latest.slice(HOT).filter((n) => n !== null);
    expect(cold.length).toBeGreaterThan(0);
    expect(cold.every((n) => n === 0)).toBe(true);
    const hot = latest.slice(0, HOT).filter((n): n is number => n !== null);
    expect(hot.length).toBeGreaterThan(0);
    expect(hot.filter((n) => n > 0).length).toBeGreaterThanOrEqual(0.9 * hot.length);
    expect(Math.max(...hot)).toBeLessThanOrEqual(UNIT / PAGE);
    // After stop nothing is known.
    expect(await source.probe(units, { maxAge: '60min' })).toEqual(units.map(() => null));
  });

  it('rejects a bad maxAge with the field named', async () => {
    const source = new ReferencedSource();
    await expect(source.probe([], { maxAge: '-1s' as never })).rejects.toThrow(InvalidArgumentError);
    await expect(source.probe([], { maxAge: '2 weeks' as never })).rejects.toThrow(/maxAge/);
    await expect(source.probe([], { maxAg: '1s' } as never)).rejects.toThrow(/did you mean 'maxAge'/);
  });
});
