// The reports and the advisor on recordings whose answers are known: a monitored range with
// a hot part at the start, part of it on huge pages.
import { describe, expect, it } from 'vitest';
import { accessReport, advise, heatGrid, hugeReport, terminalHeatmap, wssReport } from '../../lib/index.js';
import { A, syntheticRecording } from '../helpers/synthetic-recording.js';

const MiB = 2 ** 20;

describe('reports', () => {
  const r = syntheticRecording({ total: 64 * MiB, hot: 8 * MiB, huge: 4 * MiB });

  it('access: percentiles by bytes, the heat line and the hottest region with its huge bytes', () => {
    const a = accessReport(r);
    expect(a.percentiles.map((p) => [p.percentile, p.accessRate])).toEqual([
      [0, 0],
      [1, 0],
      [25, 0],
      [50, 0],
      [75, 0],
      [90, 1],
      [99, 1],
      [100, 1],
    ]);
    expect(a.heatLine).toBe('9'.repeat(10) + '0'.repeat(70));
    expect(a.hottest[0]).toMatchObject({ start: BigInt(A), end: BigInt(A + 8 * MiB), bytes: 8 * MiB, accessRate: 1, age: 5, ageMs: 500, hugeBytes: 4 * MiB });
    expect(a.snapshot).toMatchObject({ index: 29, of: 30, timeMs: 3000, sampleIntervalMs: 5, aggregationIntervalMs: 100 });
    expect([a.monitoredBytes, a.accessedBytes, a.hugeBytes]).toEqual([64 * MiB, 8 * MiB, 4 * MiB]);
  });

  it('wss and huge coverage', () => {
    expect(wssReport(r).percentiles.every((p) => p.bytes === 8 * MiB)).toBe(true);
    const rows = hugeReport(r, { rows: 3 }).rows;
    expect(rows).toHaveLength(3);
    expect(rows[2]).toMatchObject({ targetBytes: 64 * MiB, hugeBytes: 4 * MiB, hotBytes: 8 * MiB, hotHugeBytes: 4 * MiB, coldHugeBytes: 0 });
  });

  it('heatmap: ranges side by side, huge cells marked, letters for huge cells in plain text', () => {
    const grid = heatGrid(syntheticRecording({ total: 64 * MiB, hot: 8 * MiB, huge: 4 * MiB, extraTarget: [A + 2 ** 30, A + 2 ** 30 + 64 * MiB] }), { columns: 32, rows: 3 });
    expect(grid.segments).toEqual([
      { start: BigInt(A), end: BigInt(A + 64 * MiB), offset: 0 },
      { start: BigInt(A + 2 ** 30), end: BigInt(A + 2 ** 30 + 64 * MiB), offset: 64 * MiB },
    ]);
    expect(grid.cells).toHaveLength(3);
    const line = terminalHeatmap(grid, { colour: false }).split('\n')[0]!;
    // 4 MiB per column: one hot huge column, one hot, the rest cold (the second range never accessed).
    expect(line.endsWith(`j9${'0'.repeat(30)}`)).toBe(true);
  });
});

describe('advise', () => {
  // A time model where translation weighs (the defaults are calibrated for one workload): the
  // figures below depend on the simulator and the layouts, not on a calibration.
  const model = { baseNs: 20, cyclesPerNs: 5 };
  it("a large hot set: worth it, the tuner adds only the hot units' absent pages, THP=always all of them", async () => {
    const a = await advise(syntheticRecording({ total: 2048 * MiB, hot: 1024 * MiB, huge: 0, residentPages: 500 }), { model, accesses: 300_000 });
    expect(a.hotBytes).toBe(1024 * MiB);
    expect(a.layouts.tuner.hugeUnits).toBe(512);
    expect(a.layouts.tuner.addedBytes).toBe(512 * 12 * 4096);
    expect(a.layouts.always.addedBytes).toBe(1024 * 12 * 4096);
    expect(a.layouts.tuner.speedup).toBeGreaterThan(1.1);
    expect(a.worthIt).toBe(true);
    expect(a.suggestedConfig.schemes?.[0]?.quota?.size).toBe('1G');
  });

  it('a hot set the TLB already covers: not worth it', async () => {
    const a = await advise(syntheticRecording({ total: 256 * MiB, hot: 4 * MiB, huge: 0 }), { model, accesses: 300_000 });
    expect(a.hotBytes).toBe(4 * MiB);
    expect(a.layouts.tuner.speedup).toBeLessThan(1.1);
    expect(a.worthIt).toBe(false);
  });

  it("the bloat bound keeps sparse hot units out of the tuner's set", async () => {
    const a = await advise(syntheticRecording({ total: 64 * MiB, hot: 64 * MiB, huge: 0, residentPages: 64 }), { model, accesses: 100_000 });
    expect(a.layouts.tuner.hugeUnits).toBe(0);
    expect(a.layouts.always.addedBytes).toBe(32 * 448 * 4096);
  });
});
