// AccessMonitor options: human units and precise errors naming the field and the range.
import { describe, expect, it } from 'vitest';
import { PatternSource, AccessMonitor, InvalidArgumentError } from '../../lib/index.js';

// A source feeds one monitor: each monitor gets a new one.
const source = () => new PatternSource();
const errorOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e as InvalidArgumentError;
  }
  throw new Error('no error thrown');
};

describe('AccessMonitor options', () => {
  it('accepts human units and applies the kernel defaults', () => {
    const m = new AccessMonitor({ source: source(), targets: [{ ranges: [{ start: 0x10000n, end: 0x20000n }] }] });
    expect(m.attributes()).toEqual({ sampleIntervalMs: 5, aggregationIntervalMs: 100, opsUpdateIntervalMs: 60_000, minRegions: 10, maxRegions: 1000 });
    const n = new AccessMonitor({ source: source(), monitoring: { sampleInterval: '250us', aggregationInterval: 50, opsUpdateInterval: '2min', minRegions: 5, maxRegions: 50 } });
    expect(n.attributes()).toEqual({ sampleIntervalMs: 0.25, aggregationIntervalMs: 50, opsUpdateIntervalMs: 120_000, minRegions: 5, maxRegions: 50 });
  });

  it.each([
    [{ monitoring: { sampleInterval: '5 parsecs' } }, 'monitoring.sampleInterval', /a duration/],
    [{ monitoring: { sampleInterval: '61min', aggregationInterval: '62min' } }, 'monitoring.sampleInterval', /a duration from 1us to 60min/],
    [{ monitoring: { sampleInterval: '200ms' } }, 'monitoring.aggregationInterval', /at least sampleInterval \(200000us\)/],
    [{ monitoring: { minRegions: 2 } }, 'monitoring.minRegions', /an integer from 3 to 1000000/],
    [{ monitoring: { minRegions: 20, maxRegions: 10 } }, 'monitoring.minRegions', /maxRegions \(10\)/],
    [{ monitoring: { maxRegions: 1.5 } }, 'monitoring.maxRegions', /an integer/],
    [{ monitoring: { intervalsGoal: { access: 0, aggregations: 4, minSampleInterval: '1ms', maxSampleInterval: '10ms' } } }, 'monitoring.intervalsGoal.access', /at least 0.01%/],
    [{ monitoring: { intervalsGoal: { access: '4%', aggregations: 4, minSampleInterval: '10ms', maxSampleInterval: '1ms' } } }, 'monitoring.intervalsGoal.maxSampleInterval', /from 10ms/],
    [{ monitoring: { intervalsGoal: { access: '4%', aggregations: 4, minSampleInterval: '10ms', maxSampleInterval: '20ms' } } }, 'monitoring.sampleInterval', /within intervalsGoal/],
    // The README once showed `attributes: {...}`, which was silently ignored: unknown keys are refused with the nearest known one.
    [{ attributes: { sampleInterval: '5ms' } }, 'attributes', /unknown key/],
    [{ monitorng: { sampleInterval: '5ms' } }, 'monitorng', /did you mean 'monitoring'/],
    [{ monitoring: { sampleIntervl: '5ms' } }, 'monitoring.sampleIntervl', /did you mean 'sampleInterval'/],
    [{ targets: [{ ranges: [{ start: 8192, end: 4096 }] }] }, 'targets[0].ranges[0].end', /greater than start/],
    [
      {
        targets: [
          {
            ranges: [
              { start: 0, end: 8192 },
              { start: 4096, end: 9000 },
            ],
          },
        ],
      },
      'targets[0].ranges[1].start',
      /sorted and disjoint/,
    ],
    [{ targets: [] }, 'targets', /an array of 1 to 1024 entries/],
    [{ seed: -1 }, 'seed', /an integer from 0/],
  ])('%j is refused on %s', (extra, field, allowed) => {
    const e = errorOf(() => new AccessMonitor({ source: source(), ...(extra as object) }));
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e.field).toBe(field);
    expect(e.allowed).toMatch(allowed);
  });

  it('refuses what is no source object, a source already feeding a monitor, and a bad update', () => {
    const used = source();
    new AccessMonitor({ source: used });
    expect(() => new AccessMonitor({ source: used })).toThrow(/already feeds a monitor/);
    expect(errorOf(() => new AccessMonitor({ source: { kind: 'pattern' } as never })).field).toBe('source');
    const m = new AccessMonitor({ source: source() });
    expect(errorOf(() => m.update({ aggregationInterval: '1ms' })).field).toBe('aggregationInterval');
    expect(errorOf(() => new PatternSource({ hott: [] } as never)).allowed).toMatch(/did you mean 'hot'/);
  });
});
