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
    expect(m.attributes()).toEqual({ sampleIntervalUs: 5000, aggregationIntervalUs: 100_000, opsUpdateIntervalUs: 60_000_000, minRegions: 10, maxRegions: 1000 });
    const n = new AccessMonitor({ source: source(), sampleInterval: '250us', aggregationInterval: 50, opsUpdateInterval: '2min', minRegions: 5, maxRegions: 50 });
    expect(n.attributes()).toEqual({ sampleIntervalUs: 250, aggregationIntervalUs: 50_000, opsUpdateIntervalUs: 120_000_000, minRegions: 5, maxRegions: 50 });
  });

  it.each([
    [{ sampleInterval: '5 parsecs' }, 'sampleInterval', /a duration from 1us to 60min/],
    [{ sampleInterval: '200ms' }, 'aggregationInterval', /at least sampleInterval \(200000us\)/],
    [{ minRegions: 2 }, 'minRegions', /an integer from 3 to 1000000/],
    [{ minRegions: 20, maxRegions: 10 }, 'minRegions', /maxRegions \(10\)/],
    [{ maxRegions: 1.5 }, 'maxRegions', /an integer/],
    [{ intervalsGoal: { accessBp: 0, aggregations: 4, minSampleInterval: '1ms', maxSampleInterval: '10ms' } }, 'intervalsGoal.accessBp', /from 1 to 10000/],
    [{ intervalsGoal: { accessBp: 400, aggregations: 4, minSampleInterval: '10ms', maxSampleInterval: '1ms' } }, 'intervalsGoal.maxSampleInterval', /from 10ms/],
    [{ intervalsGoal: { accessBp: 400, aggregations: 4, minSampleInterval: '10ms', maxSampleInterval: '20ms' } }, 'sampleInterval', /within intervalsGoal/],
    [{ targets: [{ ranges: [{ start: 8192, end: 4096 }] }] }, 'targets[0].ranges[0].end', /greater than start/],
    [{ targets: [{ ranges: [{ start: 0, end: 8192 }, { start: 4096, end: 9000 }] }] }, 'targets[0].ranges[1].start', /sorted and disjoint/],
    [{ targets: [] }, 'targets', /non-empty/],
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
  });
});
