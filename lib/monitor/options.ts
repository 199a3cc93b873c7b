// AccessMonitor options: validated here with errors naming the field and its allowed range,
// then turned into the plain object the addon reads (native/addon/monitor_convert.cc).
import { Type, type Static } from '@sinclair/typebox';
import { InvalidArgumentError } from '../errors.js';
import { resolveRange } from '../memory/range.js';
import { durationToUs } from '../units/duration.js';
import { ratioToBp, ratioToFraction } from '../units/ratio.js';
import { AbortSignalSchema, AddressSchema, BufferSchema, DurationSchema, Integer, PidSchema, RatioSchema, Strict } from '../validation/schemas.js';
import { validate } from '../validation/validate.js';
import type { NativeAttrs, NativeMonitorOptions, NativeRange, NativeSourceOptions } from './native.js';

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
export type MonitorAttributes = Static<typeof MonitorAttributesSchema>;

/** An address range [start, end) of the monitored process. */
export const AddressRangeSchema = Strict({ start: AddressSchema, end: AddressSchema });
export type AddressRangeOption = Static<typeof AddressRangeSchema>;

/** Memory of this process named by address (as the memory API's ranges). */
const AddressLengthSchema = Strict({ address: Type.BigInt({ minimum: 0n }), length: Integer(1, Number.MAX_SAFE_INTEGER) });

/**
 * One monitoring target: fixed ranges, or (no ranges) the whole address space by DAMON's
 * "three regions" rule. A range is {start, end}, or memory of this process: an ArrayBuffer
 * or view (for example from `allocAligned`), or {address, length} (Linux).
 */
export const TargetSchema = Strict({
  ranges: Type.Optional(
    Type.Array(Type.Union([BufferSchema, AddressLengthSchema, AddressRangeSchema], { allowed: 'an ArrayBuffer or view, {address, length} or {start, end}' })),
  ),
});
export type TargetOptions = Static<typeof TargetSchema>;

/**
 * A seeded synthetic access pattern: pages in `hot` ranges are touched with the given
 * probability per sampling interval, nothing else ever. For tests and demonstrations.
 */
export const PatternSourceSchema = Strict({
  kind: Type.Literal('pattern'),
  /** What the source reports as the address space's mappings (for targets without ranges). */
  mappings: Type.Optional(Type.Array(AddressRangeSchema)),
  /** Hot ranges, each touched with `probability` (a ratio, default 1) per sampling interval. */
  hot: Type.Optional(Type.Array(Strict({ start: AddressSchema, end: AddressSchema, probability: Type.Optional(RatioSchema) }))),
});
export type PatternSourceOptions = Static<typeof PatternSourceSchema>;

/**
 * The simulator's page table (thp-autotune's TLB simulator) with a seeded hot/cold workload
 * that runs while stepped sampling intervals elapse (`step()`); DAMON's test-and-clear of
 * Accessed bits on PTEs and PMDs. With `start()` the workload does not run (the thread only samples).
 */
export const SimSourceSchema = Strict({
  kind: Type.Literal('sim'),
  /** Mapped ranges, each aligned to its page size ('4k' default, or '2m' for PMD-mapped huge pages). */
  mappings: Type.Array(Strict({ start: AddressSchema, end: AddressSchema, pageSize: Type.Optional(Type.Union([Type.Literal('4k'), Type.Literal('2m')])) })),
  workload: Type.Optional(
    Strict({
      /** Hot ranges; default none. */
      hot: Type.Optional(Type.Array(AddressRangeSchema)),
      /** Share of accesses that go to the hot ranges; default 0.9. */
      hotShare: Type.Optional(RatioSchema),
      /** Accesses per 5 ms of simulated time (scaled with the sampling interval); default 50000. */
      accessesPer5ms: Type.Optional(Integer(0, 1e9)),
      /** Share of accesses that are writes; default 0. */
      writeFraction: Type.Optional(RatioSchema),
    }),
  ),
});
export type SimSourceOptions = Static<typeof SimSourceSchema>;

/**
 * This process's own memory, without privileges (Linux 6.7 or later): userfaultfd
 * write-protection in asynchronous mode plus PAGEMAP_SCAN. It sees WRITES ONLY (snapshots
 * say `signal: 'write'`), and only in anonymous private writable mappings, which it
 * registers at start and every ops update and unregisters at stop. Call
 * `AccessMonitor.unprotect(range)` before collapsing a monitored range.
 */
export const PagemapSourceSchema = Strict({ kind: Type.Literal('pagemap') });
export type PagemapSourceOptions = Static<typeof PagemapSourceSchema>;

/**
 * The kernel's own DAMON (a kdamond, through /sys/kernel/mm/damon/admin) watching the process
 * `pid` (AccessMonitorOptions.pid; default this process), which may be ANOTHER process. It
 * sees reads and writes (the page table's Accessed bits), and the kernel computes the regions
 * (splitting, merging, ages); the monitor reads them back every aggregation through a `stat`
 * scheme's tried regions. Needs root and a kernel built with CONFIG_DAMON_SYSFS and
 * CONFIG_DAMON_VADDR. One target: the whole address space (`vaddr`) or fixed ranges
 * (`fvaddr`). Real time only (no `step()`); the kernel picks its own sampling addresses (no
 * `seed`). It takes a kdamond only if none is in use by someone else, and gives it back when
 * stopped.
 */
export const DamonSourceSchema = Strict({ kind: Type.Literal('damon') });
export type DamonSourceOptions = Static<typeof DamonSourceSchema>;

export const AccessSourceSchema = Type.Union([PatternSourceSchema, SimSourceSchema, PagemapSourceSchema, DamonSourceSchema], {
  allowed: "an object {kind: 'pattern' | 'sim' | 'pagemap' | 'damon', ...}",
});
export type AccessSourceOptions = Static<typeof AccessSourceSchema>;

export const AccessMonitorOptionsSchema = Strict({
  source: AccessSourceSchema,
  /** Sampling and aggregation intervals, region bounds and interval auto-tuning. */
  monitoring: Type.Optional(MonitorAttributesSchema),
  /** Default: one target, the whole address space. */
  targets: Type.Optional(Type.Array(TargetSchema, { minItems: 1, maxItems: 1024 })),
  /** The monitored process: only the `damon` source can watch another one. Default this process. */
  pid: Type.Optional(PidSchema),
  /** Seed of the sampling addresses and split points: equal seeds give equal runs. Default 1. */
  seed: Type.Optional(Integer(0, Number.MAX_SAFE_INTEGER)),
  /** Stops the monitor when aborted. */
  signal: Type.Optional(AbortSignalSchema),
});
export type AccessMonitorOptions = Static<typeof AccessMonitorOptionsSchema>;

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
export function toNativeHotRanges(hot: NonNullable<PatternSourceOptions['hot']>, field = 'hot'): [number, number, number][] {
  const ranges = toNativeRanges(field, validate(PatternSourceSchema.properties.hot, hot, field).map(({ start, end }) => ({ start, end })));
  return ranges.map(([start, end], i) => [start, end, ratioToBp(`${field}[${i}].probability`, hot[i]!.probability ?? 1)]);
}

function toNativeSource(source: AccessSourceOptions, pid: number | undefined): NativeSourceOptions {
  const kind = source.kind;
  if (kind === 'pattern') {
    return { kind, mappings: toNativeRanges('source.mappings', source.mappings ?? []), hot: toNativeHotRanges(source.hot ?? [], 'source.hot') };
  }
  if (kind === 'sim') {
    const mappings = toNativeRanges('source.mappings', source.mappings.map(({ start, end }) => ({ start, end }))).map(([start, end], i): [number, number, number] => {
      const pageSize = source.mappings[i]!.pageSize ?? '4k';
      const size = pageSize === '2m' ? 2 ** 21 : 4096;
      if (start % size !== 0 || end % size !== 0) throw new InvalidArgumentError(`source.mappings[${i}]`, `start and end aligned to ${pageSize}`, source.mappings[i]);
      return [start, end, size];
    });
    const w = source.workload ?? {};
    return {
      kind,
      mappings,
      hot: toNativeRanges('source.workload.hot', w.hot ?? []),
      hotShare: w.hotShare === undefined ? 0.9 : ratioToFraction('source.workload.hotShare', w.hotShare),
      accessesPer5ms: w.accessesPer5ms ?? 50000,
      writeFraction: w.writeFraction === undefined ? 0 : ratioToFraction('source.workload.writeFraction', w.writeFraction),
    };
  }
  if (kind === 'damon') return { kind, pid: pid ?? process.pid };
  if (pid !== undefined && pid !== process.pid) {
    throw new InvalidArgumentError('pid', `this process's pid (${process.pid}) or absent: only the damon source watches another process`, pid);
  }
  return { kind };
}

/** The whole options object to the addon's form. */
export function toNativeOptions(raw: AccessMonitorOptions): NativeMonitorOptions {
  const options = validate(AccessMonitorOptionsSchema, raw);
  const targets = (options.targets ?? [{}]).map((t, i) => {
    if (t.ranges === undefined) return {};
    const ranges = t.ranges.map((r, k) => {
      if ('start' in r) return r;
      const { address, length } = resolveRange(r, `targets[${i}].ranges[${k}]`);
      return { start: address, end: address + BigInt(length) };
    });
    return { ranges: toNativeRanges(`targets[${i}].ranges`, ranges) };
  });
  const source = toNativeSource(options.source, options.pid);
  if (source.kind === 'damon' && targets.length !== 1) {
    throw new InvalidArgumentError('targets', 'exactly one target with the damon source', options.targets);
  }
  return { attrs: toNativeAttrs(options.monitoring ?? {}, undefined, 'monitoring'), targets, source, seed: options.seed ?? 1 };
}
