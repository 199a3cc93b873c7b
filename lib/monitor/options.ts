// AccessMonitor options: validated here with errors naming the field and its allowed range,
// then turned into the plain object the addon reads (native/addon/monitor_convert.cc).
import { InvalidArgumentError } from '../errors.js';
import { resolveRange, type MemoryRange } from '../memory/range.js';
import { durationToUs, type Duration } from '../units/duration.js';
import { AccessSource, sourceBinding } from '../sources/source.js';
import type { NativeAttrs, NativeMonitorOptions, NativeRange } from './native.js';

/** Monitoring-intervals auto-tuning (DAMON's intervals_goal, damon-spec.md §5). */
export interface IntervalsGoalOptions {
  /** Wanted ratio of observed to possible access events, in basis points (1..10000). DAMON recommends 400 (4%). */
  accessBp: number;
  /** Tune every this many aggregations (1..1000000). */
  aggregations: number;
  /** Bounds of the tuned sampling interval. */
  minSampleInterval: Duration;
  maxSampleInterval: Duration;
}

/** Monitoring attributes (DAMON's damon_attrs, damon-spec.md §1.2), in human units. */
export interface MonitorAttributes {
  /** How often each region is sampled. Default '5ms'. */
  sampleInterval?: Duration;
  /** How often counts are aggregated and a snapshot is delivered. Default '100ms'. */
  aggregationInterval?: Duration;
  /** How often address-space targets are rebuilt from the current mappings. Default '60s'. */
  opsUpdateInterval?: Duration;
  /** Region count bounds. Defaults 10 and 1000; minRegions at least 3. */
  minRegions?: number;
  maxRegions?: number;
  /** Interval auto-tuning; off when absent. */
  intervalsGoal?: IntervalsGoalOptions;
}

/** An address range [start, end) of the monitored process. */
export interface AddressRangeOption {
  start: number | bigint;
  end: number | bigint;
}

/**
 * One monitoring target: fixed ranges, or (no ranges) the whole address space by DAMON's
 * "three regions" rule. A range is {start, end}, or memory of this process: an ArrayBuffer
 * or view (for example from `allocAligned`), or {address, length} (Linux).
 */
export interface TargetOptions {
  ranges?: (AddressRangeOption | MemoryRange)[];
}

export interface AccessMonitorOptions<S extends AccessSource = AccessSource> extends MonitorAttributes {
  /** Where accesses come from (lib/sources): a source object, which feeds this monitor only. */
  source: S;
  /** Default: one target, the whole address space. */
  targets?: TargetOptions[];
  /** Seed of the sampling addresses and split points: equal seeds give equal runs. Default 1. */
  seed?: number;
  /** Stops the monitor when aborted. */
  signal?: AbortSignal;
}

const US_PER_HOUR = 3_600_000_000;
const MAX_ADDRESS = 2 ** 53;

function integerIn(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(field, `an integer from ${min} to ${max}`, value);
  }
  return value;
}

function address(field: string, value: unknown): number {
  const n = typeof value === 'bigint' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n >= MAX_ADDRESS) {
    throw new InvalidArgumentError(field, 'an address from 0 to 2^53 (number or bigint)', value);
  }
  return n;
}

/** Sorted, disjoint, non-empty ranges. */
export function toNativeRanges(field: string, ranges: unknown): NativeRange[] {
  if (!Array.isArray(ranges)) throw new InvalidArgumentError(field, 'an array of {start, end}', ranges);
  const out: NativeRange[] = [];
  ranges.forEach((r: unknown, i) => {
    if (typeof r !== 'object' || r === null) throw new InvalidArgumentError(`${field}[${i}]`, 'an object {start, end}', r);
    const { start, end } = r as AddressRangeOption;
    const s = address(`${field}[${i}].start`, start);
    const e = address(`${field}[${i}].end`, end);
    if (e <= s) throw new InvalidArgumentError(`${field}[${i}].end`, `greater than start (${s})`, end);
    const prev = out.at(-1);
    if (prev && s < prev[1]) {
      throw new InvalidArgumentError(`${field}[${i}].start`, `at least the previous range's end (${prev[1]}): ranges must be sorted and disjoint`, start);
    }
    out.push([s, e]);
  });
  return out;
}

/** Attributes to the addon's form, checking DAMON's rules (damon_set_attrs, spec §1.2). */
export function toNativeAttrs(attrs: MonitorAttributes, current?: NativeAttrs): NativeAttrs {
  const sampleUs = attrs.sampleInterval === undefined ? current?.sampleUs ?? 5000 : durationToUs('sampleInterval', attrs.sampleInterval, 1, US_PER_HOUR);
  const aggrUs =
    attrs.aggregationInterval === undefined
      ? current?.aggrUs ?? 100_000
      : durationToUs('aggregationInterval', attrs.aggregationInterval, 1, US_PER_HOUR);
  const opsUpdateUs =
    attrs.opsUpdateInterval === undefined
      ? current?.opsUpdateUs ?? 60_000_000
      : durationToUs('opsUpdateInterval', attrs.opsUpdateInterval, 1000, 24 * US_PER_HOUR);
  if (sampleUs > aggrUs) {
    throw new InvalidArgumentError('aggregationInterval', `at least sampleInterval (${sampleUs}us)`, attrs.aggregationInterval ?? `${aggrUs}us`);
  }
  const maxNrRegions = attrs.maxRegions === undefined ? current?.maxNrRegions ?? 1000 : integerIn('maxRegions', attrs.maxRegions, 3, 1_000_000);
  const minNrRegions = attrs.minRegions === undefined ? current?.minNrRegions ?? 10 : integerIn('minRegions', attrs.minRegions, 3, 1_000_000);
  if (minNrRegions > maxNrRegions) {
    throw new InvalidArgumentError('minRegions', `an integer from 3 to maxRegions (${maxNrRegions})`, minNrRegions);
  }
  let goal = current?.goal ?? { accessBp: 0, aggrs: 0, minSampleUs: 0, maxSampleUs: 0 };
  if (attrs.intervalsGoal !== undefined) {
    const g = attrs.intervalsGoal;
    if (typeof g !== 'object' || g === null) {
      throw new InvalidArgumentError('intervalsGoal', 'an object {accessBp, aggregations, minSampleInterval, maxSampleInterval}', g);
    }
    const minSampleUs = durationToUs('intervalsGoal.minSampleInterval', g.minSampleInterval, 1, US_PER_HOUR);
    const maxSampleUs = durationToUs('intervalsGoal.maxSampleInterval', g.maxSampleInterval, minSampleUs, US_PER_HOUR);
    goal = {
      accessBp: integerIn('intervalsGoal.accessBp', g.accessBp, 1, 10000),
      aggrs: integerIn('intervalsGoal.aggregations', g.aggregations, 1, 1_000_000),
      minSampleUs,
      maxSampleUs,
    };
  }
  if (goal.aggrs !== 0 && (sampleUs < goal.minSampleUs || sampleUs > goal.maxSampleUs)) {
    throw new InvalidArgumentError('sampleInterval', `within intervalsGoal's ${goal.minSampleUs}us..${goal.maxSampleUs}us`, attrs.sampleInterval ?? `${sampleUs}us`);
  }
  return { sampleUs, aggrUs, opsUpdateUs, minNrRegions, maxNrRegions, goal };
}

/** Hot ranges of the pattern source: [start, end, probability in basis points]. */
export function toNativeHotRanges(hot: (AddressRangeOption & { probability?: number })[], field = 'hot'): [number, number, number][] {
  if (!Array.isArray(hot)) throw new InvalidArgumentError(field, 'an array of {start, end, probability?}', hot);
  return hot.map((h, i): [number, number, number] => {
    const [range] = toNativeRanges(`${field}[${i}]`, [h]) as [NativeRange];
    const p = h.probability ?? 1;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new InvalidArgumentError(`${field}[${i}].probability`, 'a number from 0 to 1', p);
    return [range[0], range[1], Math.round(p * 10000)];
  });
}

/** The whole options object to the addon's form. */
export function toNativeOptions(options: AccessMonitorOptions): NativeMonitorOptions {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'an object', options);
  const targets = (options.targets ?? [{}]).map((t, i) => {
    if (typeof t !== 'object' || t === null) throw new InvalidArgumentError(`targets[${i}]`, 'an object {ranges?}', t);
    if (t.ranges === undefined) return {};
    if (!Array.isArray(t.ranges)) throw new InvalidArgumentError(`targets[${i}].ranges`, 'an array of ranges', t.ranges);
    const ranges = t.ranges.map((r, k) => {
      if (r instanceof ArrayBuffer || ArrayBuffer.isView(r) || (typeof r === 'object' && r !== null && 'address' in r)) {
        const { address, length } = resolveRange(r as MemoryRange, `targets[${i}].ranges[${k}]`);
        return { start: address, end: address + BigInt(length) };
      }
      return r;
    });
    return { ranges: toNativeRanges(`targets[${i}].ranges`, ranges) };
  });
  if (targets.length === 0) throw new InvalidArgumentError('targets', 'a non-empty array', options.targets);
  const seed = options.seed === undefined ? 1 : integerIn('seed', options.seed, 0, Number.MAX_SAFE_INTEGER);
  const source = options.source;
  if (!(source instanceof AccessSource)) {
    throw new InvalidArgumentError('source', 'an access source object (PatternSource, SimulatedSource, PagemapSource, ReferencedSource, KernelDamonSource)', source);
  }
  const binding = source[sourceBinding];
  if (binding.kernel && targets.length !== 1) {
    throw new InvalidArgumentError('targets', 'exactly one target with the kernel DAMON source', options.targets);
  }
  return { attrs: toNativeAttrs(options), targets, source: binding.native, seed };
}
