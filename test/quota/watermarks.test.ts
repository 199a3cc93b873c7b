// Documentation/mm/damon/design.rst, "Watermarks": watermark hysteresis.
import { describe, expect, it } from 'vitest';
import { freeMemRate, nextWatermarkState, type WatermarkSettings } from '../../lib/quota/index.js';

const w: WatermarkSettings = { metric: 'free_mem_rate', intervalMs: 5000, high: 500, mid: 400, low: 200 };
describe('watermarks (Documentation/mm/damon/design.rst, "Watermarks")', () => {
  it.each([
    [true, 600, false, 5000], // above high
    [true, 100, false, 5000], // below low: the machine is short of memory
    [false, 450, false, 5000], // inactive inside [mid, high]: stays off
    [false, 300, true, 0], // low ≤ metric < mid activates
    [true, 450, true, 0], // once active it stays up to high
    [true, 500, true, 0],
    [false, 200, true, 0],
  ])('active %s, metric %i → active %s, wait %i', (active, metric, next, wait) => {
    expect(nextWatermarkState(w, active, metric)).toEqual({ active: next, waitMs: wait });
  });
  it("'none' is always active", () => {
    expect(nextWatermarkState({ ...w, metric: 'none' }, false, 0)).toEqual({ active: true, waitMs: 0 });
  });
  it('free_mem_rate is per mille, truncated', () => {
    expect(freeMemRate(1, 3)).toBe(333);
    expect(freeMemRate(5, 0)).toBe(0);
  });
});
