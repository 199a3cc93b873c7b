// The tuner's unit probe on real memory with the pagemap source: it protects and reads a
// sample of each unit's pages, not all 512, so that a program writing a probed hot unit takes
// at most that many write-protect faults per probe window.
import { describe, expect, it } from 'vitest';
import { AccessMonitor, PagemapSource, addressOf, allocAligned } from '../../lib/index.js';
import { MemoryBackend, PROBE_PAGES } from '../../lib/tuner/memory-backend.js';
import { pagemapUnavailable } from '../helpers/pagemap.js';

const unavailable = pagemapUnavailable();
if (unavailable) console.log(`unit probe tests skipped: ${unavailable}`);
const UNIT = 2 ** 21;
const PAGE = 4096;

describe.skipIf(unavailable !== null)('MemoryBackend unit probe with the pagemap source', () => {
  it(`protects ${PROBE_PAGES} pages of a unit and counts the writes to them since the previous probe`, async () => {
    const buf = allocAligned(2 * UNIT);
    const bytes = new Uint8Array(buf);
    bytes.fill(1);
    const source = new PagemapSource();
    const m = new AccessMonitor({ monitoring: { minRegions: 3, maxRegions: 3 }, targets: [{ ranges: [buf] }], source, seed: 2 });
    m.step(1); // registers the buffer
    const backend = new MemoryBackend('self');
    backend.sampler = source;
    const start = Number(addressOf(buf));
    const units = [start, start + UNIT];
    const whole = units.map((u) => ({ start: u, end: u + UNIT }));
    // Protect every page once (a whole-unit scan), then open the units' probe windows.
    await source.probe(whole);
    expect(await backend.probe(units)).toEqual([0, 0]);
    // Every page of the first unit written: only the probed pages count, and only they are
    // protected again: a whole-unit scan then finds the others still written, not the probed ones.
    for (let p = 0; p < UNIT / PAGE; p++) bytes[p * PAGE + 9] = 2;
    expect(await backend.probe(units)).toEqual([PROBE_PAGES, 0]);
    expect(await source.probe(whole)).toEqual([UNIT / PAGE - PROBE_PAGES, 0]);
    expect(await backend.probe(units)).toEqual([0, 0]);
    // Writes to pages between the probed ones are not seen.
    bytes[PAGE + 1] = 4;
    expect(await backend.probe(units)).toEqual([0, 0]);
    // Outside the registered buffer no write can be seen.
    expect(await backend.probe([start + 4 * UNIT])).toEqual([null]);
    source.unprotect(buf);
    await m.stop();
    expect(await backend.probe(units)).toEqual([null, null]);
    expect(bytes[9]).toBe(2);
  });
});
