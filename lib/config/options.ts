// The one schema of HugepageTuner options, shared by the constructor, update() and the
// configuration files of the `tune` command. Defaults replicate the kernel RFC's module
// mm/damon/hugepage.c (damon-spec.md §10.2); see README "HugepageTuner" for the mapping.
import { InvalidArgumentError } from '../errors.js';
import { GOAL_METRICS, type Goal } from '../quota/goals.js';
import { GOAL_TUNERS, type GoalTuner } from '../quota/goal-tuners.js';
import type { WatermarkSettings } from '../quota/watermarks.js';
import { toRawPattern, type AccessPatternOptions } from '../schemes/access-pattern.js';
import { SCHEME_ACTIONS, SCORINGS, type SchemeAction, type Scoring } from '../schemes/actions.js';
import type { SchemeFilter } from '../schemes/filters.js';
import type { SimulatedSourceOptions } from '../sources/sim.js';

/** A simulated process as the tuner's source (the tuner makes its SimulatedSource from it). */
export type SimSourceOptions = SimulatedSourceOptions & { kind: 'sim' };
import { PID_MAX_LIMIT } from '../procfs/target.js';
import { array, boolean, bytes, durationMs, integer, object, oneOf, path, type Raw } from './check.js';

export interface GoalOptions {
  metric: Goal['metric'];
  /** Target: basis points for *_bp metrics (1..10000), µs per window for some_mem_psi_us, any positive integer for user_input. */
  target: number;
  scope?: 'process' | 'system';
  nid?: number;
}

export interface QuotaOptions {
  /** Action time per window (ms or '10ms'); 0 = no time quota. RFC default 10 ms. */
  time?: number | string;
  /** Bytes per window ('128M'); 0 = none. RFC default 128 MiB. */
  size?: number | string;
  /** Window length. RFC default 1 s. */
  resetInterval?: number | string;
  /** Hot-score weights. RFC default nrAccesses 1, age 1. */
  weights?: { nrAccesses?: number; age?: number };
  /** RFC default: one goal, hugepage_mem_bp with target 100 (1%). */
  goals?: GoalOptions[];
  /** RFC default 'consist'. */
  tuner?: GoalTuner;
}

export interface WatermarkOptions {
  metric: 'none' | 'free_mem_rate';
  interval?: number | string;
  high?: number;
  mid?: number;
  low?: number;
}

export interface FilterOptions {
  type: 'addr' | 'anon';
  matching?: boolean;
  allow?: boolean;
  start?: number;
  end?: number;
}

export interface SchemeOptions {
  action?: SchemeAction;
  /** RFC default: size at least 2M, any access rate, age at least 100ms (the module's min_age). */
  pattern?: AccessPatternOptions;
  /** 0 (default) = every aggregation interval. */
  applyInterval?: number | string;
  quota?: QuotaOptions;
  /** RFC default: none (always active). */
  watermarks?: WatermarkOptions;
  filters?: FilterOptions[];
  /** 'hot' (default here) or 'kernel' (address order, as the kernel's constant score). */
  scoring?: Scoring;
}

export interface MonitoringOptions {
  sampleInterval?: number | string;
  aggregationInterval?: number | string;
  opsUpdateInterval?: number | string;
  minRegions?: number;
  maxRegions?: number;
}

export interface TunerOptions {
  /** The process to tune: 'self' (default) or a pid (collapse through process_madvise). */
  pid?: number | 'self';
  /**
   * Where accesses come from: 'pagemap' (default; this process only, writes only),
   * 'referenced' (this process only, reads and writes, docs/sources.md: not the default yet,
   * its clears can slow a program on 4 KiB pages in a VM far beyond its budget; 'pagemap'
   * where the kernel lacks it), 'damon' (the kernel's DAMON; used for any other pid, needs
   * root and CONFIG_DAMON_VADDR) or a simulated process.
   */
  source?: 'referenced' | 'pagemap' | 'damon' | SimSourceOptions;
  monitoring?: MonitoringOptions;
  schemes?: SchemeOptions[];
  /** Aggregations the monitor refines its regions before the first action (after each start). Default 10; 0 acts at once, as the kernel does. */
  warmupAggregations?: number;
  /** Most absent 4 KiB pages a unit may have and still be collapsed (0..511). Default 64. */
  maxPtesNone?: number;
  /** Back-off after a collapsed unit was split again: first wait, doubled per repeat up to the maximum. */
  churnBackoff?: number | string;
  churnBackoffMax?: number | string;
  /** Seed of the monitor's randomness. */
  seed?: number;
  signal?: AbortSignal;
}

export interface NormalizedQuota {
  ms: number;
  sz: number;
  resetIntervalMs: number;
  weights: { nrAccesses: number; age: number };
  goals: Goal[];
  tuner: GoalTuner;
}

export interface NormalizedScheme {
  action: SchemeAction;
  pattern: AccessPatternOptions;
  applyIntervalMs: number;
  quota: NormalizedQuota;
  watermarks: WatermarkSettings;
  filters: SchemeFilter[];
  scoring: Scoring;
}

export interface NormalizedMonitoring {
  sampleIntervalMs: number;
  aggregationIntervalMs: number;
  opsUpdateIntervalMs: number;
  minRegions: number;
  maxRegions: number;
}

export interface NormalizedTunerOptions {
  pid: number | 'self';
  source: 'referenced' | 'pagemap' | 'damon' | SimSourceOptions;
  monitoring: NormalizedMonitoring;
  schemes: NormalizedScheme[];
  warmupAggregations: number;
  maxPtesNone: number;
  churnBackoffMs: number;
  churnBackoffMaxMs: number;
  seed: number;
}

const HOUR_MS = 3_600_000;
const MAX_BYTES = Number.MAX_SAFE_INTEGER;
const TUNER_KEYS = ['pid', 'source', 'monitoring', 'schemes', 'warmupAggregations', 'maxPtesNone', 'churnBackoff', 'churnBackoffMax', 'seed', 'signal'] as const;

/** The RFC module's scheme (damon-spec.md §10.2) with this package's hot-first scoring. */
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
 * 60 s (damon-spec.md §1). The kernel's ops update only refreshes the three big regions of a
 * whole address space; here it is how memory allocated after start (a Buffer, a WebAssembly
 * memory) becomes eligible and monitored, so a first run shows collapses within seconds. A
 * read of /proc/<pid>/smaps costs about 12 ms of CPU for 145 mappings on this project's VMs
 * (off the JS thread): 0.6% of a core at this interval.
 */
const TUNER_OPS_UPDATE_MS = 2000;

export function defaultOptions(): NormalizedTunerOptions {
  return {
    pid: 'self',
    source: 'pagemap',
    monitoring: { sampleIntervalMs: 5, aggregationIntervalMs: 100, opsUpdateIntervalMs: TUNER_OPS_UPDATE_MS, minRegions: 10, maxRegions: 1000 },
    schemes: [defaultScheme()],
    warmupAggregations: 10,
    maxPtesNone: 64,
    churnBackoffMs: 10_000,
    churnBackoffMaxMs: 600_000,
    seed: 1,
  };
}

function goal(field: string, raw: unknown): Goal {
  const o = object(field, raw, ['metric', 'target', 'scope', 'nid']);
  const metric = oneOf(path(field, 'metric'), o['metric'], GOAL_METRICS);
  const targetMax = metric === 'some_mem_psi_us' ? HOUR_MS * 1000 : metric === 'user_input' ? Number.MAX_SAFE_INTEGER : 10_000;
  const g: Goal = { metric, target: integer(path(field, 'target'), o['target'], 1, targetMax) };
  if (metric === 'hugepage_mem_bp') g.scope = o['scope'] === undefined ? 'process' : oneOf(path(field, 'scope'), o['scope'], ['process', 'system'] as const);
  else if (o['scope'] !== undefined) throw new InvalidArgumentError(path(field, 'scope'), "absent unless metric is 'hugepage_mem_bp'", o['scope']);
  if (metric === 'node_mem_used_bp' || metric === 'node_mem_free_bp') g.nid = integer(path(field, 'nid'), o['nid'] ?? 0, 0, 1023);
  else if (o['nid'] !== undefined) throw new InvalidArgumentError(path(field, 'nid'), "absent unless metric is 'node_mem_used_bp' or 'node_mem_free_bp'", o['nid']);
  return g;
}

function quota(field: string, raw: unknown, base: NormalizedQuota): NormalizedQuota {
  const o = object(field, raw, ['time', 'size', 'resetInterval', 'weights', 'goals', 'tuner']);
  const q: NormalizedQuota = { ...base, weights: { ...base.weights }, goals: [...base.goals] };
  if (o['time'] !== undefined) q.ms = durationMs(path(field, 'time'), o['time'], 0, HOUR_MS);
  if (o['size'] !== undefined) q.sz = bytes(path(field, 'size'), o['size'], 0, MAX_BYTES);
  if (o['resetInterval'] !== undefined) q.resetIntervalMs = durationMs(path(field, 'resetInterval'), o['resetInterval'], 1, HOUR_MS);
  if (o['weights'] !== undefined) {
    const w = object(path(field, 'weights'), o['weights'], ['nrAccesses', 'age']);
    if (w['nrAccesses'] !== undefined) q.weights.nrAccesses = integer(path(field, 'weights.nrAccesses'), w['nrAccesses'], 0, 1000);
    if (w['age'] !== undefined) q.weights.age = integer(path(field, 'weights.age'), w['age'], 0, 1000);
  }
  if (o['goals'] !== undefined) q.goals = array(path(field, 'goals'), o['goals'], 16).map((g, i) => goal(`${field}.goals[${i}]`, g));
  if (o['tuner'] !== undefined) q.tuner = oneOf(path(field, 'tuner'), o['tuner'], GOAL_TUNERS);
  return q;
}

function watermarks(field: string, raw: unknown): WatermarkSettings {
  const o = object(field, raw, ['metric', 'interval', 'high', 'mid', 'low']);
  const metric = oneOf(path(field, 'metric'), o['metric'], ['none', 'free_mem_rate'] as const);
  const w: WatermarkSettings = {
    metric,
    intervalMs: o['interval'] === undefined ? 5000 : durationMs(path(field, 'interval'), o['interval'], 1, HOUR_MS),
    high: o['high'] === undefined ? 1000 : integer(path(field, 'high'), o['high'], 0, 1000),
    mid: o['mid'] === undefined ? 100 : integer(path(field, 'mid'), o['mid'], 0, 1000),
    low: o['low'] === undefined ? 50 : integer(path(field, 'low'), o['low'], 0, 1000),
  };
  if (!(w.low <= w.mid && w.mid <= w.high)) throw new InvalidArgumentError(path(field, 'mid'), `per-mille with low (${w.low}) <= mid <= high (${w.high})`, w.mid);
  return w;
}

function filter(field: string, raw: unknown): SchemeFilter {
  const o = object(field, raw, ['type', 'matching', 'allow', 'start', 'end']);
  const type = oneOf(path(field, 'type'), o['type'], ['addr', 'anon'] as const);
  const f: SchemeFilter = {
    type,
    matching: o['matching'] === undefined ? true : boolean(path(field, 'matching'), o['matching']),
    allow: o['allow'] === undefined ? true : boolean(path(field, 'allow'), o['allow']),
  };
  if (type === 'addr') {
    f.start = integer(path(field, 'start'), o['start'], 0, Number.MAX_SAFE_INTEGER);
    f.end = integer(path(field, 'end'), o['end'], f.start + 1, Number.MAX_SAFE_INTEGER);
  } else if (o['start'] !== undefined || o['end'] !== undefined) {
    throw new InvalidArgumentError(path(field, 'start'), "absent unless type is 'addr'", o['start'] ?? o['end']);
  }
  return f;
}

function pattern(field: string, raw: unknown): AccessPatternOptions {
  const o = object(field, raw, ['size', 'accessRate', 'age']);
  for (const k of ['size', 'accessRate', 'age'] as const) if (o[k] !== undefined) object(path(field, k), o[k], ['min', 'max']);
  return o as AccessPatternOptions;
}

export function normalizeScheme(field: string, raw: unknown, base: NormalizedScheme = defaultScheme()): NormalizedScheme {
  const o = object(field, raw, ['action', 'pattern', 'applyInterval', 'quota', 'watermarks', 'filters', 'scoring']);
  return {
    action: o['action'] === undefined ? base.action : oneOf(path(field, 'action'), o['action'], SCHEME_ACTIONS),
    pattern: o['pattern'] === undefined ? base.pattern : pattern(path(field, 'pattern'), o['pattern']),
    applyIntervalMs: o['applyInterval'] === undefined ? base.applyIntervalMs : durationMs(path(field, 'applyInterval'), o['applyInterval'], 0, HOUR_MS),
    quota: o['quota'] === undefined ? base.quota : quota(path(field, 'quota'), o['quota'], base.quota),
    watermarks: o['watermarks'] === undefined ? base.watermarks : watermarks(path(field, 'watermarks'), o['watermarks']),
    filters: o['filters'] === undefined ? base.filters : array(path(field, 'filters'), o['filters'], 32).map((f, i) => filter(`${field}.filters[${i}]`, f)),
    scoring: o['scoring'] === undefined ? base.scoring : oneOf(path(field, 'scoring'), o['scoring'], SCORINGS),
  };
}

function monitoring(field: string, raw: unknown, base: NormalizedMonitoring): NormalizedMonitoring {
  const o = object(field, raw, ['sampleInterval', 'aggregationInterval', 'opsUpdateInterval', 'minRegions', 'maxRegions']);
  const m: NormalizedMonitoring = {
    sampleIntervalMs: o['sampleInterval'] === undefined ? base.sampleIntervalMs : durationMs(path(field, 'sampleInterval'), o['sampleInterval'], 0.001, HOUR_MS),
    aggregationIntervalMs:
      o['aggregationInterval'] === undefined ? base.aggregationIntervalMs : durationMs(path(field, 'aggregationInterval'), o['aggregationInterval'], 0.001, HOUR_MS),
    opsUpdateIntervalMs: o['opsUpdateInterval'] === undefined ? base.opsUpdateIntervalMs : durationMs(path(field, 'opsUpdateInterval'), o['opsUpdateInterval'], 1, 24 * HOUR_MS),
    minRegions: o['minRegions'] === undefined ? base.minRegions : integer(path(field, 'minRegions'), o['minRegions'], 3, 1_000_000),
    maxRegions: o['maxRegions'] === undefined ? base.maxRegions : integer(path(field, 'maxRegions'), o['maxRegions'], 3, 1_000_000),
  };
  if (m.sampleIntervalMs > m.aggregationIntervalMs) throw new InvalidArgumentError(path(field, 'aggregationInterval'), `at least sampleInterval (${m.sampleIntervalMs} ms)`, o['aggregationInterval'] ?? m.aggregationIntervalMs);
  if (m.minRegions > m.maxRegions) throw new InvalidArgumentError(path(field, 'minRegions'), `an integer from 3 to maxRegions (${m.maxRegions})`, m.minRegions);
  return m;
}

function source(field: string, raw: unknown): 'referenced' | 'pagemap' | 'damon' | SimSourceOptions {
  if (raw === 'referenced' || raw === 'pagemap' || raw === 'damon') return raw;
  if (typeof raw === 'object' && raw !== null && (raw as Raw)['kind'] === 'sim') return raw as SimSourceOptions;
  throw new InvalidArgumentError(field, "'referenced', 'pagemap', 'damon' or a simulated process {kind: 'sim', mappings, workload}", raw);
}

/**
 * Options (from code or a parsed configuration file) to their normalized form, on top of
 * `base` (the defaults, or the options in force for update()). Throws InvalidArgumentError
 * naming the field and the allowed range.
 */
export function normalizeTunerOptions(raw: unknown, base: NormalizedTunerOptions = defaultOptions()): NormalizedTunerOptions {
  // The argument itself is named `options`; its keys are named alone (`pid`, `schemes[0]`).
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) {
    throw new InvalidArgumentError('options', `an object with keys ${TUNER_KEYS.join(', ')}`, raw);
  }
  const o = object('', raw ?? {}, TUNER_KEYS);
  const out: NormalizedTunerOptions = { ...base };
  if (o['pid'] !== undefined) out.pid = o['pid'] === 'self' ? 'self' : integer('pid', o['pid'], 1, PID_MAX_LIMIT);
  if (o['source'] !== undefined) out.source = source('source', o['source']);
  if (o['monitoring'] !== undefined) out.monitoring = monitoring('monitoring', o['monitoring'], base.monitoring);
  if (o['schemes'] !== undefined) {
    const list = array('schemes', o['schemes'], 16);
    if (list.length === 0) throw new InvalidArgumentError('schemes', 'an array of 1 to 16 schemes', o['schemes']);
    out.schemes = list.map((s, i) => normalizeScheme(`schemes[${i}]`, s, base.schemes[i] ?? defaultScheme()));
  }
  if (o['warmupAggregations'] !== undefined) out.warmupAggregations = integer('warmupAggregations', o['warmupAggregations'], 0, 1_000_000);
  if (o['maxPtesNone'] !== undefined) out.maxPtesNone = integer('maxPtesNone', o['maxPtesNone'], 0, 511);
  if (o['churnBackoff'] !== undefined) out.churnBackoffMs = durationMs('churnBackoff', o['churnBackoff'], 1, 24 * HOUR_MS);
  if (o['churnBackoffMax'] !== undefined) out.churnBackoffMaxMs = durationMs('churnBackoffMax', o['churnBackoffMax'], out.churnBackoffMs, 7 * 24 * HOUR_MS);
  if (out.churnBackoffMaxMs < out.churnBackoffMs) throw new InvalidArgumentError('churnBackoffMax', `at least churnBackoff (${out.churnBackoffMs} ms)`, o['churnBackoffMax']);
  // Patterns convert with the monitoring intervals: check them now so a wrong unit is reported here.
  const intervals = { sampleIntervalUs: out.monitoring.sampleIntervalMs * 1000, aggregationIntervalUs: out.monitoring.aggregationIntervalMs * 1000 };
  out.schemes.forEach((s, i) => toRawPattern(s.pattern, intervals, `schemes[${i}].pattern`));
  if (o['seed'] !== undefined) out.seed = integer('seed', o['seed'], 0, Number.MAX_SAFE_INTEGER);
  if (o['signal'] !== undefined && !(o['signal'] instanceof AbortSignal)) throw new InvalidArgumentError('signal', 'an AbortSignal', o['signal']);
  return out;
}
