// AccessMonitor options: validated here with errors naming the field and its allowed range,
// then turned into the plain object the addon reads (native/addon/monitor_convert.cc).
import { Kind, Type, TypeRegistry, type Static } from '@sinclair/typebox';
import { InvalidArgumentError } from '../errors.js';
import { resolveRange } from '../memory/range.js';
import { durationToUs } from '../units/duration.js';
import { ratioToBp } from '../units/ratio.js';
import { AccessSource, sourceBinding } from '../sources/source.js';
import { AbortSignalSchema, AddressSchema, BufferSchema, DurationSchema, Integer, RatioSchema, Strict } from '../validation/schemas.js';
import { validate } from '../validation/validate.js';
import type { NativeAttrs, NativeMonitorOptions, NativeRange } from './native.js';

/** Monitoring-intervals auto-tuning (DAMON's intervals_goal; Documentation/mm/damon/design.rst, "Monitoring Intervals Auto-tuning"). */
export const IntervalsGoalSchema = Strict({
  /** Wanted ratio of observed to possible access events. DAMON recommends '4%'. */
  access: RatioSchema,
  /** Tune every this many aggregations. */
  aggregations: Integer(1, 1_000_000),
  /** Bounds of the tuned sampling interval. */
  minSampleInterval: DurationSchema,
  maxSampleInterval: DurationSchema,
});
/** @useDeclaredType */
export type IntervalsGoalOptions = Static<typeof IntervalsGoalSchema>;

/** Monitoring attributes (DAMON's damon_attrs), in human units; AccessMonitor's and HugepageTuner's `monitoring` option. */
export const MonitorAttributesSchema = Strict({
  /** How often each region is sampled. Default '5ms'. */
  sampleInterval: Type.Optional(DurationSchema),
  /** How often counts are aggregated and a snapshot is delivered. Default '100ms'. */
  aggregationInterval: Type.Optional(DurationSchema),
  /** How often address-space targets are rebuilt from the current mappings. Default '60s'. */
  opsUpdateInterval: Type.Optional(DurationSchema),
  /** Region count bounds. Defaults 10 and 1000; at least 3. */
  minRegions: Type.Optional(Integer(3, 1_000_000)),
  maxRegions: Type.Optional(Integer(3, 1_000_000)),
  /** Interval auto-tuning; off when absent. */
  intervalsGoal: Type.Optional(IntervalsGoalSchema),
});
/** @useDeclaredType */
export type MonitorAttributes = Static<typeof MonitorAttributesSchema>;

/** An address range [start, end) of the monitored process. */
export const AddressRangeSchema = Strict({ start: AddressSchema, end: AddressSchema });
/** @useDeclaredType */
export type AddressRangeOption = Static<typeof AddressRangeSchema>;

/** Memory of this process named by address (as the memory API's ranges). */
const AddressLengthSchema = Strict({ address: AddressSchema, length: Integer(1, Number.MAX_SAFE_INTEGER) });

/**
 * One monitoring target: fixed ranges, or (no ranges) the whole address space by DAMON's
 * "three regions" rule. A range is {start, end}, or memory of this process: an ArrayBuffer
 * or view (for example from `allocAligned`), or {address, length} (Linux).
 */
export const TargetSchema = Strict({
  ranges: Type.Optional(Type.Array(Type.Union([BufferSchema, AddressLengthSchema, AddressRangeSchema], { allowed: 'an ArrayBuffer or view, {address, length} or {start, end}' }))),
});
/** @useDeclaredType */
export type TargetOptions = Static<typeof TargetSchema>;
const TargetsSchema = Type.Array(TargetSchema, { minItems: 1, maxItems: 1024 });

/** A source object (lib/sources), checked as such; each source validates its own options. */
const AccessSourceSchema = Type.Unsafe<AccessSource>({
  [Kind]: 'AccessSource',
  allowed: 'an access source object (PatternSource, SimulatedSource, PagemapSource, ReferencedSource, KernelDamonSource)',
});
if (!TypeRegistry.Has('AccessSource')) TypeRegistry.Set('AccessSource', (_schema, value) => value instanceof AccessSource);

/** A hot range of the pattern source, its pages touched with `probability` (a ratio, default 1) per sampling interval. */
export const HotRangeSchema = Strict({ start: AddressSchema, end: AddressSchema, probability: Type.Optional(RatioSchema) });

export const AccessMonitorOptionsSchema = Strict({
  /** Where accesses come from (lib/sources): a source object, which feeds this monitor only. */
  source: AccessSourceSchema,
  /** Sampling and aggregation intervals, region bounds and interval auto-tuning. */
  monitoring: Type.Optional(MonitorAttributesSchema),
  /** Default: one target, the whole address space. */
  targets: Type.Optional(TargetsSchema),
  /** Seed of the sampling addresses and split points: equal seeds give equal runs. Default 1. */
  seed: Type.Optional(Integer(0, Number.MAX_SAFE_INTEGER)),
  /** Stops the monitor when aborted. */
  signal: Type.Optional(AbortSignalSchema),
});
/**
 * The options besides the source, resolved from the schema so that the API reference lists
 * their fields (a generic alias resolved this way would document itself as itself).
 *
 * @inline
 * @useDeclaredType
 */
type AccessMonitorCommonOptions = Omit<Static<typeof AccessMonitorOptionsSchema>, 'source'>;

/** Options of `new AccessMonitor(options)`: the source, the monitoring attributes, the targets. */
export type AccessMonitorOptions<S extends AccessSource = AccessSource> = AccessMonitorCommonOptions & { source: S };

const US_PER_HOUR = 3_600_000_000;

/** Sorted, disjoint, non-empty ranges. */
export function toNativeRanges(field: string, ranges: unknown): NativeRange[] {
  const checked = validate(Type.Array(AddressRangeSchema), ranges, field);
  const out: NativeRange[] = [];
  checked.forEach(({ start, end }, i) => {
    const s = Number(start);
    const e = Number(end);
    if (e <= s) throw new InvalidArgumentError(`${field}[${i}].end`, `greater than start (${s})`, end);
    const prev = out.at(-1);
    if (prev && s < prev[1]) {
      throw new InvalidArgumentError(`${field}[${i}].start`, `at least the previous range's end (${prev[1]}): ranges must be sorted and disjoint`, start);
    }
    out.push([s, e]);
  });
  return out;
}

/** Attributes to the addon's form, checking DAMON's rules (damon_set_attrs). */
export function toNativeAttrs(attrs: MonitorAttributes, current?: NativeAttrs, root = ''): NativeAttrs {
  validate(MonitorAttributesSchema, attrs, root);
  const field = (name: string) => (root === '' ? name : `${root}.${name}`);
  const us = (name: 'sampleInterval' | 'aggregationInterval' | 'opsUpdateInterval', fallback: number, min: number, max: number) =>
    attrs[name] === undefined ? fallback : durationToUs(field(name), attrs[name], min, max);
  const sampleUs = us('sampleInterval', current?.sampleUs ?? 5000, 1, US_PER_HOUR);
  const aggrUs = us('aggregationInterval', current?.aggrUs ?? 100_000, 1, US_PER_HOUR);
  const opsUpdateUs = us('opsUpdateInterval', current?.opsUpdateUs ?? 60_000_000, 1000, 24 * US_PER_HOUR);
  if (sampleUs > aggrUs) {
    throw new InvalidArgumentError(field('aggregationInterval'), `at least sampleInterval (${sampleUs}us)`, attrs.aggregationInterval ?? `${aggrUs}us`);
  }
  const maxNrRegions = attrs.maxRegions ?? current?.maxNrRegions ?? 1000;
  const minNrRegions = attrs.minRegions ?? current?.minNrRegions ?? 10;
  if (minNrRegions > maxNrRegions) {
    throw new InvalidArgumentError(field('minRegions'), `an integer from 3 to maxRegions (${maxNrRegions})`, minNrRegions);
  }
  let goal = current?.goal ?? { accessBp: 0, aggrs: 0, minSampleUs: 0, maxSampleUs: 0 };
  if (attrs.intervalsGoal !== undefined) {
    const g = attrs.intervalsGoal;
    const minSampleUs = durationToUs(field('intervalsGoal.minSampleInterval'), g.minSampleInterval, 1, US_PER_HOUR);
    const maxSampleUs = durationToUs(field('intervalsGoal.maxSampleInterval'), g.maxSampleInterval, minSampleUs, US_PER_HOUR);
    goal = { accessBp: ratioToBp(field('intervalsGoal.access'), g.access, 1), aggrs: g.aggregations, minSampleUs, maxSampleUs };
  }
  if (goal.aggrs !== 0 && (sampleUs < goal.minSampleUs || sampleUs > goal.maxSampleUs)) {
    throw new InvalidArgumentError(field('sampleInterval'), `within intervalsGoal's ${goal.minSampleUs}us..${goal.maxSampleUs}us`, attrs.sampleInterval ?? `${sampleUs}us`);
  }
  return { sampleUs, aggrUs, opsUpdateUs, minNrRegions, maxNrRegions, goal };
}

/** Hot ranges of the pattern source: [start, end, probability in basis points]. */
export function toNativeHotRanges(hot: Static<typeof HotRangeSchema>[], field = 'hot'): [number, number, number][] {
  const checked = validate(Type.Array(HotRangeSchema), hot, field);
  const ranges = toNativeRanges(
    field,
    checked.map(({ start, end }) => ({ start, end })),
  );
  return ranges.map(([start, end], i) => [start, end, ratioToBp(`${field}[${i}].probability`, checked[i]!.probability ?? 1)]);
}

/** Validated targets (see TargetSchema) to the addon's form. */
export function toNativeTargets(targets: TargetOptions[], field = 'targets'): NativeMonitorOptions['targets'] {
  return validate(TargetsSchema, targets, field).map((t, i) => {
    if (t.ranges === undefined) return {};
    const ranges = t.ranges.map((r, k) => {
      if ('start' in r) return r;
      const { address, length } = resolveRange(r, `${field}[${i}].ranges[${k}]`);
      return { start: address, end: address + BigInt(length) };
    });
    return { ranges: toNativeRanges(`${field}[${i}].ranges`, ranges) };
  });
}

/** The whole options object to the addon's form. */
export function toNativeOptions(raw: AccessMonitorOptions): NativeMonitorOptions {
  const options = validate(AccessMonitorOptionsSchema, raw);
  const targets = toNativeTargets(options.targets ?? [{}]);
  const binding = options.source[sourceBinding];
  if (binding.kernel && targets.length !== 1) {
    throw new InvalidArgumentError('targets', 'exactly one target with the kernel DAMON source', options.targets);
  }
  return { attrs: toNativeAttrs(options.monitoring ?? {}, undefined, 'monitoring'), targets, source: binding.native, seed: options.seed ?? 1 };
}
