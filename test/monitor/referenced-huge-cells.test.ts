// The referenced source leaves cells wholly on 2 MiB pages alone between re-armings
// (`hugeInterval`, docs/sources.md): their latest observation stands in, so memory already on
// huge pages that stays in use keeps looking used, and with `hugeInterval: 0` they are armed
// in every window like any other cell.
import { describe, expect, it, type TestContext } from 'vitest';
import { AccessMonitor, InvalidArgumentError, addressOf, allocAligned, madvise, ReferencedSource, type MonitorSnapshot } from '../../lib/index.js';
import { vmaContaining } from '../helpers/smaps-oracle.js';
import { sourceUnavailable } from '../helpers/sources.js';

const unavailable = sourceUnavailable('referenced');
if (unavailable) console.log(`referenced huge-cell test skipped: ${unavailable}`);

const UNIT = 2 ** 21;
const PAGE = 4096;
const UNITS = 16;

/** A buffer of UNITS units on 2 MiB pages (MADV_HUGEPAGE before the first touch); where the kernel gives too few, the test is skipped with the reason printed. */
async function hugeBufferOrSkip(ctx: TestContext): Promise<ArrayBuffer> {
  const buffer = allocAligned(UNITS * UNIT);
  await madvise({ address: addressOf(buffer), length: buffer.byteLength }, 'hugepage');
  new Uint8Array(buffer).fill(1);
  const huge = vmaContaining('self', addressOf(buffer)).anonHugeBytes;
  if (huge < buffer.byteLength / 2) {
    console.log(`${ctx.task.name}: skipped, only ${huge / UNIT} of ${UNITS} units got 2 MiB pages (THP disabled or memory fragmented)`);
    ctx.skip();
  }
  return buffer;
}

/** Monitors `buffer` while reading all of it, until `windows` windows completed; the source's states and the snapshots seen. */
async function watchWhileReading(buffer: ArrayBuffer, hugeInterval: string | number, windows: number) {
  const bytes = new Uint8Array(buffer);
  const source = new ReferencedSource({ minInterval: '200ms', cpuBudget: 1, programBudget: 1, hugeInterval });
  const m = new AccessMonitor({
    source,
    targets: [{ ranges: [buffer] }],
    monitoring: { sampleInterval: '5ms', aggregationInterval: '200ms', minRegions: 3, maxRegions: 4 },
    seed: 3,
  });
  const snapshots: MonitorSnapshot[] = [];
  m.on('aggregate', (s) => snapshots.push(s));
  let reading = true;
  let sum = 0;
  const read = () => {
    if (!reading) return;
    for (let i = 0; i < bytes.length; i += PAGE) sum += bytes[i]!;
    setImmediate(read);
  };
  const states = [];
  m.start();
  read();
  for (let waited = 0; waited < 60_000 && source.state().cycles < windows; waited += 20) {
    await new Promise((r) => setTimeout(r, 20));
    states.push(source.state());
  }
  reading = false;
  await m.stop();
  expect(sum).toBeGreaterThan(0);
  return { states, snapshots };
}

/** The share of the buffer's bytes the last snapshot rates as used, weighted by access rate. */
function usedShare(s: MonitorSnapshot): number {
  let weighted = 0;
  let bytes = 0;
  for (const r of s.regions) {
    const size = Number(r.end - r.start);
    weighted += (size * r.nrAccesses) / s.maxNrAccesses;
    bytes += size;
  }
  return weighted / bytes;
}

describe.skipIf(unavailable !== null)('ReferencedSource on memory already on 2 MiB pages', { timeout: 120_000 }, () => {
  it('carries the latest observation of huge cells between re-armings, and they still read as used', async (ctx) => {
    const buffer = await hugeBufferOrSkip(ctx);
    const { states, snapshots } = await watchWhileReading(buffer, '10s', 8);
    expect(states.at(-1)!.cycles).toBeGreaterThanOrEqual(8);
    // The first window arms every cell (none observed yet); later ones carry the huge ones.
    expect(Math.max(...states.map((s) => s.carriedCells))).toBeGreaterThan(0);
    expect(Math.min(...states.filter((s) => s.cycles >= 2).map((s) => s.armedCells))).toBeLessThan(UNITS);
    // Carried observations are of cells read throughout: the buffer still looks used.
    expect(snapshots.length).toBeGreaterThan(0);
    expect(usedShare(snapshots.at(-1)!)).toBeGreaterThan(0.5);
  });

  it('arms huge cells in every window with hugeInterval 0', async (ctx) => {
    const buffer = await hugeBufferOrSkip(ctx);
    const { states } = await watchWhileReading(buffer, 0, 4);
    expect(states.at(-1)!.cycles).toBeGreaterThanOrEqual(4);
    expect(states.every((s) => s.carriedCells === 0)).toBe(true);
  });

  it('rejects a bad hugeInterval with the field named', () => {
    expect(() => new ReferencedSource({ hugeInterval: '-1s' as never })).toThrow(InvalidArgumentError);
    expect(() => new ReferencedSource({ hugeInterval: '2h' })).toThrow(/hugeInterval/);
  });
});
