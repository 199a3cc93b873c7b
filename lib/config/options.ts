// The one schema of HugepageTuner options, shared by the constructor, update() and the
// configuration files of the `tune` command (published as thp-autotune's tuner.schema.json).
// Defaults replicate the kernel RFC's module mm/damon/hugepage.c (docs/design-notes.md, "The
// RFC's hugepage module"); docs/admin-guide.md maps each module parameter to an option.
import { Type, type Static } from '@sinclair/typebox';
import { InvalidArgumentError } from '../errors.js';
import { MonitorAttributesSchema, toNativeAttrs } from '../monitor/options.js';
import { referencedSourceProperties, referencedSourceSettings } from '../sources/referenced.js';
import { simulatedSourceProperties } from '../sources/sim.js';
import { GOAL_METRICS, type Goal } from '../quota/goals.js';
import { GOAL_TUNERS, type GoalTuner } from '../quota/goal-tuners.js';
import type { WatermarkSettings } from '../quota/watermarks.js';
import { toRawPattern, type AccessPatternOptions } from '../schemes/access-pattern.js';
import { SCHEME_ACTIONS, SCORINGS, type SchemeAction, type Scoring } from '../schemes/actions.js';
import type { SchemeFilter } from '../schemes/filters.js';
import { bytesIn } from '../units/bytes.js';
import { durationToMs } from '../units/duration.js';
import { ratioToBp } from '../units/ratio.js';
import { AbortSignalSchema, AddressSchema, BytesSchema, DurationSchema, Integer, PID_MAX_LIMIT, PidSchema, RatioSchema, Strict } from '../validation/schemas.js';
import { validate } from '../validation/validate.js';

/** A simulated process as the tuner's source (the tuner makes its SimulatedSource from it). */
const SimSourceSchema = Strict({ kind: Type.Literal('sim'), ...simulatedSourceProperties });
/** @useDeclaredType */
export type SimSourceOptions = Static<typeof SimSourceSchema>;

/**
 * The tuner's access source as a description, `{kind, ...that source's options}`: the tuner
 * makes a source of its own each time it points the monitor at new mappings (a source feeds
 * one monitor), where AccessMonitor takes a source object.
 */
const SOURCE_DESCRIPTIONS = [
  Strict({ kind: Type.Literal('pagemap') }),
  Strict({ kind: Type.Literal('referenced'), ...referencedSourceProperties }),
  Strict({ kind: Type.Literal('damon') }),
  SimSourceSchema,
] as const;
/** @useDeclaredType */
export type TunerSourceOptions = Static<(typeof SOURCE_DESCRIPTIONS)[number]>;

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const GoalSchema = Strict({
  metric: literals(GOAL_METRICS),
  /** Target: a ratio for *_bp metrics ('30%'), a duration per window for some_mem_psi_us, a positive integer for user_input. */
  target: Type.Union([Type.Number(), Type.String()], { allowed: "a ratio ('30%'), a duration ('10ms') or a positive integer, as the metric takes" }),
  /** hugepage_mem_bp only: this process (default) or the machine. */
  scope: Type.Optional(literals(['process', 'system'] as const)),
  /** node_mem_*_bp only: the NUMA node. */
  nid: Type.Optional(Integer(0, 1023)),
});
/** @useDeclaredType */
export type GoalOptions = Static<typeof GoalSchema>;

export const QuotaSchema = Strict({
  /** Action time per window; 0 = no time quota. RFC default 10 ms. */
  time: Type.Optional(DurationSchema),
  /** Bytes per window ('128M'); 0 = none. RFC default 128 MiB. */
  size: Type.Optional(BytesSchema),
  /** Window length. RFC default 1 s. */
  resetInterval: Type.Optional(DurationSchema),
  /** Hot-score weights. RFC default nrAccesses 1, age 1. */
  weights: Type.Optional(Strict({ nrAccesses: Type.Optional(Integer(0, 1000)), age: Type.Optional(Integer(0, 1000)) })),
  /** RFC default: one goal, hugepage_mem_bp with target 1%. */
  goals: Type.Optional(Type.Array(GoalSchema, { maxItems: 16 })),
  /** RFC default 'consist'. */
  tuner: Type.Optional(literals(GOAL_TUNERS)),
});
/** @useDeclaredType */
export type QuotaOptions = Static<typeof QuotaSchema>;

export const WatermarkSchema = Strict({
  metric: literals(['none', 'free_mem_rate'] as const),
  /** How often the metric is read. Default 5 s. */
  interval: Type.Optional(DurationSchema),
  /** Free-memory ratios: active while free memory is between low and high, until it falls below mid... Defaults 100%, 10%, 5%. */
  high: Type.Optional(RatioSchema),
  mid: Type.Optional(RatioSchema),
  low: Type.Optional(RatioSchema),
});
/** @useDeclaredType */
export type WatermarkOptions = Static<typeof WatermarkSchema>;

export const FilterSchema = Strict({
  type: literals(['addr', 'anon'] as const),
  matching: Type.Optional(Type.Boolean()),
  allow: Type.Optional(Type.Boolean()),
  /** `addr` only: the address range [start, end). */
  start: Type.Optional(AddressSchema),
  end: Type.Optional(AddressSchema),
});
/** @useDeclaredType */
export type FilterOptions = Static<typeof FilterSchema>;

const BoundsSchema = Strict({ min: Type.Optional(Type.Union([Type.Number(), Type.String()])), max: Type.Optional(Type.Union([Type.Number(), Type.String()])) });

/** DAMOS access pattern: sizes ('2M'), access rates ('5%') and ages ('1s'), 'min'/'max', or raw kernel units as numbers. */
export const PatternSchema = Strict({ size: Type.Optional(BoundsSchema), accessRate: Type.Optional(BoundsSchema), age: Type.Optional(BoundsSchema) });

export const SchemeSchema = Strict({
  action: Type.Optional(literals(SCHEME_ACTIONS)),
  /** RFC default: size at least 2M, any access rate, age at least 100ms (the module's min_age). */
  pattern: Type.Optional(PatternSchema),
  /** 0 (default) = every aggregation interval. */
  applyInterval: Type.Optional(DurationSchema),
  quota: Type.Optional(QuotaSchema),
  /** RFC default: none (always active). */
  watermarks: Type.Optional(WatermarkSchema),
  filters: Type.Optional(Type.Array(FilterSchema, { maxItems: 32 })),
  /** 'hot' (default here) or 'kernel' (address order, as the kernel's constant score). */
  scoring: Type.Optional(literals(SCORINGS)),
});
/** @useDeclaredType */
export type SchemeOptions = Static<typeof SchemeSchema>;

/** The tuner's monitoring attributes: AccessMonitor's, without interval auto-tuning. */
export const MonitoringSchema = Type.Omit(MonitorAttributesSchema, ['intervalsGoal'], { additionalProperties: false });
/** @useDeclaredType */
export type MonitoringOptions = Static<typeof MonitoringSchema>;

const tunerProperties = {
  /** The process to tune: 'self' (default) or a pid (collapse through process_madvise). */
  pid: Type.Optional(Type.Union([Type.Literal('self'), PidSchema], { allowed: `'self' or an integer pid from 1 to ${PID_MAX_LIMIT}` })),
  /**
   * Where accesses come from, as `{kind, ...options}` (docs/sources.md): `{kind: 'referenced', ...}`
   * (default; this process only, reads and writes, with ReferencedSource's budgets; it splits
   * the monitored mappings into 2 MiB cells while it runs; Linux 5.4; pagemap where
   * MADV_COLD or smaps Referenced is unavailable),
   * `{kind: 'pagemap'}` (this process only, writes only, no change to the mappings),
   * `{kind: 'damon'}` (the kernel's DAMON; used for any other pid, needs root and
   * CONFIG_DAMON_VADDR) or a simulated process `{kind: 'sim', ...}`. A bare name
   * (`'pagemap'`) is short for `{kind: name}`.
   */
  source: Type.Optional(
    // One flat union, so that a description's error is reported inside it (by its kind).
    Type.Union([Type.Literal('referenced'), Type.Literal('pagemap'), Type.Literal('damon'), ...SOURCE_DESCRIPTIONS], {
      allowed: "'pagemap', 'referenced', 'damon' or a description {kind, ...options} (see docs/sources.md)",
    }),
  ),
  monitoring: Type.Optional(MonitoringSchema),
  schemes: Type.Optional(Type.Array(SchemeSchema, { minItems: 1, maxItems: 16 })),
  /** Aggregations the monitor refines its regions before the first action (after each start). Default 10; 0 acts at once, as the kernel does. */
  warmupAggregations: Type.Optional(Integer(0, 1_000_000)),
  /** Most absent 4 KiB pages a unit may have and still be collapsed (0..511). Default 64. */
  maxPtesNone: Type.Optional(Integer(0, 511)),
  /** Back-off after a collapsed unit was split again: first wait, doubled per repeat up to the maximum. */
  churnBackoff: Type.Optional(DurationSchema),
  churnBackoffMax: Type.Optional(DurationSchema),
  /** Seed of the monitor's randomness. */
  seed: Type.Optional(Integer(0, Number.MAX_SAFE_INTEGER)),
};

/** What a configuration file holds (published as tuner.schema.json). */
export const TunerConfigSchema = Strict(tunerProperties, { title: 'thp-autotune tuner configuration' });
/** @useDeclaredType */
export type TunerConfig = Static<typeof TunerConfigSchema>;

export const TunerOptionsSchema = Strict({ ...tunerProperties, signal: Type.Optional(AbortSignalSchema) });
/** @useDeclaredType */
export type TunerOptions = Static<typeof TunerOptionsSchema>;

/**
 * A scheme's quota with defaults filled in: `ms` of action time and `sz` bytes per window of `resetIntervalMs`.
 *
 * @inline
 */
export interface NormalizedQuota {
  ms: number;
  sz: number;
  resetIntervalMs: number;
  weights: { nrAccesses: number; age: number };
  goals: Goal[];
  tuner: GoalTuner;
}

/**
 * A scheme with defaults filled in, in the units the engine uses (milliseconds, basis points).
 *
 * @inline
 */
export interface NormalizedScheme {
  action: SchemeAction;
  pattern: AccessPatternOptions;
  applyIntervalMs: number;
  quota: NormalizedQuota;
  watermarks: WatermarkSettings;
  filters: SchemeFilter[];
  scoring: Scoring;
}

/**
 * Monitoring attributes with defaults filled in, in milliseconds.
 *
 * @inline
 */
export interface NormalizedMonitoring {
  sampleIntervalMs: number;
  aggregationIntervalMs: number;
  opsUpdateIntervalMs: number;
  minRegions: number;
  maxRegions: number;
}

/**
 * The options in force (`tuner.options`): every default filled in, durations in milliseconds.
 *
 * @inline
 */
export interface NormalizedTunerOptions {
  pid: number | 'self';
  /** The source's description, a bare name expanded to `{kind: name}`. */
  source: TunerSourceOptions;
  monitoring: NormalizedMonitoring;
  schemes: NormalizedScheme[];
  warmupAggregations: number;
  maxPtesNone: number;
  churnBackoffMs: number;
  churnBackoffMaxMs: number;
  seed: number;
}

const HOUR_MS = 3_600_000;

/** The RFC module's scheme (docs/design-notes.md, "The RFC's hugepage module") with this package's hot-first scoring. */
export function defaultScheme(): NormalizedScheme {
  return {
    action: 'collapse',
    pattern: { size: { min: '2M' }, age: { min: '100ms' } },
    applyIntervalMs: 0,
    quota: { ms: 10, sz: 128 * 2 ** 20, resetIntervalMs: 1000, weights: { nrAccesses: 1, age: 1 }, goals: [{ metric: 'hugepage_mem_bp', target: 100, scope: 'process' }], tuner: 'consist' },
    watermarks: { metric: 'none', intervalMs: 5000, high: 1000, mid: 1000, low: 0 },
    filters: [],
    scoring: 'hot',
  };
}

/**
 * How often the tuner re-reads the target's mappings: 2 s, where DAMON's contexts default to
 * 60 s (Documentation/admin-guide/mm/damon/usage.rst, "update_us"). The kernel's ops update only refreshes the three big regions of a
 * whole address space; here it is how memory allocated after start (a Buffer, a WebAssembly
 * memory) becomes eligible and monitored, so a first run shows collapses within seconds. A
 * read of /proc/<pid>/smaps costs about 12 ms of CPU for 145 mappings on this project's VMs
 * (off the JS thread): 0.6% of a core at this interval.
 */
const TUNER_OPS_UPDATE_MS = 2000;

export function defaultOptions(): NormalizedTunerOptions {
  return {
    pid: 'self',
    source: { kind: 'referenced' },
    monitoring: { sampleIntervalMs: 5, aggregationIntervalMs: 100, opsUpdateIntervalMs: TUNER_OPS_UPDATE_MS, minRegions: 10, maxRegions: 1000 },
    schemes: [defaultScheme()],
    warmupAggregations: 10,
    maxPtesNone: 64,
    churnBackoffMs: 10_000,
    churnBackoffMaxMs: 600_000,
    seed: 1,
  };
}

/** The target in the metric's own unit: basis points, microseconds of stall, or the user's number. */
function goalTarget(field: string, metric: Goal['metric'], target: number | string): number {
  if (metric === 'some_mem_psi_us') return Math.round(durationToMs(field, target, 0.001, HOUR_MS) * 1000);
  if (metric === 'user_input') return validate(Integer(1, Number.MAX_SAFE_INTEGER), target, field);
  return ratioToBp(field, target, 1);
}

function goal(field: string, g: GoalOptions): Goal {
  const out: Goal = { metric: g.metric, target: goalTarget(`${field}.target`, g.metric, g.target) };
  if (g.metric === 'hugepage_mem_bp') out.scope = g.scope ?? 'process';
  else if (g.scope !== undefined) throw new InvalidArgumentError(`${field}.scope`, "absent unless metric is 'hugepage_mem_bp'", g.scope);
  if (g.metric === 'node_mem_used_bp' || g.metric === 'node_mem_free_bp') out.nid = g.nid ?? 0;
  else if (g.nid !== undefined) throw new InvalidArgumentError(`${field}.nid`, "absent unless metric is 'node_mem_used_bp' or 'node_mem_free_bp'", g.nid);
  return out;
}

function quota(field: string, o: QuotaOptions, base: NormalizedQuota): NormalizedQuota {
  return {
    ms: o.time === undefined ? base.ms : durationToMs(`${field}.time`, o.time, 0, HOUR_MS),
    sz: o.size === undefined ? base.sz : bytesIn(`${field}.size`, o.size, 0, Number.MAX_SAFE_INTEGER),
    resetIntervalMs: o.resetInterval === undefined ? base.resetIntervalMs : durationToMs(`${field}.resetInterval`, o.resetInterval, 1, HOUR_MS),
    weights: { ...base.weights, ...o.weights },
    goals: o.goals === undefined ? [...base.goals] : o.goals.map((g, i) => goal(`${field}.goals[${i}]`, g)),
    tuner: o.tuner ?? base.tuner,
  };
}

/** Watermarks in DAMON's unit, per mille of free memory. */
function watermarks(field: string, o: WatermarkOptions): WatermarkSettings {
  const perMille = (key: 'high' | 'mid' | 'low', fallback: number) => (o[key] === undefined ? fallback : Math.round(ratioToBp(`${field}.${key}`, o[key]) / 10));
  const w: WatermarkSettings = {
    metric: o.metric,
    intervalMs: o.interval === undefined ? 5000 : durationToMs(`${field}.interval`, o.interval, 1, HOUR_MS),
    high: perMille('high', 1000),
    mid: perMille('mid', 100),
    low: perMille('low', 50),
  };
  if (!(w.low <= w.mid && w.mid <= w.high)) throw new InvalidArgumentError(`${field}.mid`, `a ratio with low (${w.low / 10}%) <= mid <= high (${w.high / 10}%)`, o.mid ?? w.mid);
  return w;
}

function filter(field: string, o: FilterOptions): SchemeFilter {
  const f: SchemeFilter = { type: o.type, matching: o.matching ?? true, allow: o.allow ?? true };
  if (o.type === 'addr') {
    if (o.start === undefined) throw new InvalidArgumentError(`${field}.start`, "an address when type is 'addr'", undefined);
    f.start = BigInt(o.start);
    const end = o.end === undefined ? undefined : BigInt(o.end);
    if (end === undefined || end <= f.start) throw new InvalidArgumentError(`${field}.end`, `an address above start (${f.start})`, o.end);
    f.end = end;
  } else if (o.start !== undefined || o.end !== undefined) {
    throw new InvalidArgumentError(`${field}.start`, "absent unless type is 'addr'", o.start ?? o.end);
  }
  return f;
}

export function normalizeScheme(field: string, o: SchemeOptions, base: NormalizedScheme = defaultScheme()): NormalizedScheme {
  return {
    action: o.action ?? base.action,
    pattern: (o.pattern as AccessPatternOptions | undefined) ?? base.pattern,
    applyIntervalMs: o.applyInterval === undefined ? base.applyIntervalMs : durationToMs(`${field}.applyInterval`, o.applyInterval, 0, HOUR_MS),
    quota: o.quota === undefined ? base.quota : quota(`${field}.quota`, o.quota, base.quota),
    watermarks: o.watermarks === undefined ? base.watermarks : watermarks(`${field}.watermarks`, o.watermarks),
    filters: o.filters === undefined ? base.filters : o.filters.map((f, i) => filter(`${field}.filters[${i}]`, f)),
    scoring: o.scoring ?? base.scoring,
  };
}

/** Monitoring attributes through the monitor's own conversion (one set of rules), kept in ms. */
function monitoring(o: MonitoringOptions, base: NormalizedMonitoring): NormalizedMonitoring {
  const current = {
    sampleUs: base.sampleIntervalMs * 1000,
    aggrUs: base.aggregationIntervalMs * 1000,
    opsUpdateUs: base.opsUpdateIntervalMs * 1000,
    minNrRegions: base.minRegions,
    maxNrRegions: base.maxRegions,
    goal: { accessBp: 0, aggrs: 0, minSampleUs: 0, maxSampleUs: 0 },
  };
  const a = toNativeAttrs(o, current, 'monitoring');
  return { sampleIntervalMs: a.sampleUs / 1000, aggregationIntervalMs: a.aggrUs / 1000, opsUpdateIntervalMs: a.opsUpdateUs / 1000, minRegions: a.minNrRegions, maxRegions: a.maxNrRegions };
}

/**
 * Options (from code or a parsed configuration file) to their normalized form, on top of
 * `base` (the defaults, or the options in force for update()). Throws InvalidArgumentError
 * naming the field and the allowed range.
 */
export function normalizeTunerOptions(raw: unknown, base: NormalizedTunerOptions = defaultOptions()): NormalizedTunerOptions {
  const o = validate(TunerOptionsSchema, raw === undefined ? {} : raw);
  const out: NormalizedTunerOptions = { ...base };
  if (o.pid !== undefined) out.pid = o.pid;
  if (o.source !== undefined) out.source = typeof o.source === 'string' ? { kind: o.source } : o.source;
  // A referenced source is made only when the tuner starts: its budgets are checked now.
  if (out.source.kind === 'referenced') {
    const { kind: _referenced, ...referenced } = out.source;
    referencedSourceSettings(referenced, 'source');
  }
  if (o.monitoring !== undefined) out.monitoring = monitoring(o.monitoring, base.monitoring);
  if (o.schemes !== undefined) out.schemes = o.schemes.map((s, i) => normalizeScheme(`schemes[${i}]`, s, base.schemes[i] ?? defaultScheme()));
  if (o.warmupAggregations !== undefined) out.warmupAggregations = o.warmupAggregations;
  if (o.maxPtesNone !== undefined) out.maxPtesNone = o.maxPtesNone;
  if (o.churnBackoff !== undefined) out.churnBackoffMs = durationToMs('churnBackoff', o.churnBackoff, 1, 24 * HOUR_MS);
  if (o.churnBackoffMax !== undefined) out.churnBackoffMaxMs = durationToMs('churnBackoffMax', o.churnBackoffMax, 1, 7 * 24 * HOUR_MS);
  if (out.churnBackoffMaxMs < out.churnBackoffMs) throw new InvalidArgumentError('churnBackoffMax', `at least churnBackoff (${out.churnBackoffMs} ms)`, o.churnBackoffMax);
  // Patterns convert with the monitoring intervals: check them now so a wrong unit is reported here.
  const intervals = { sampleIntervalUs: out.monitoring.sampleIntervalMs * 1000, aggregationIntervalUs: out.monitoring.aggregationIntervalMs * 1000 };
  out.schemes.forEach((s, i) => toRawPattern(s.pattern, intervals, `schemes[${i}].pattern`));
  if (o.seed !== undefined) out.seed = o.seed;
  return out;
}
