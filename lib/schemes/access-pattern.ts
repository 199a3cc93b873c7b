// DAMOS access patterns (Documentation/mm/damon/design.rst, "Target Access Pattern"): human units ('2M', '5%', '1s', 'min', 'max')
// converted to the kernel's raw units (bytes; nr_accesses per aggregation interval;
// aggregation intervals) as damo converts them, and the kernel's inclusive match.
import { InvalidArgumentError } from '../errors.js';
import { parseBytes } from '../units/bytes.js';
import { durationToUs } from '../units/duration.js';

/**
 * A size bound: a human-unit string (`'2M'`), `'min'`/`'max'`, or a raw number of bytes.
 *
 * @inline
 */
export type SizeBound = number | string;
/**
 * `'5%'` of the maximum access count, `'min'`/`'max'`, or a raw nr_accesses count.
 *
 * @inline
 */
export type RateBound = number | string;
/**
 * A duration (`'1s'`, `'100ms'`) converted to aggregation intervals, `'min'`/`'max'`, or a raw
 * count of aggregation intervals.
 *
 * @inline
 */
export type AgeBound = number | string;

export interface AccessPatternOptions {
  size?: { min?: SizeBound; max?: SizeBound };
  accessRate?: { min?: RateBound; max?: RateBound };
  age?: { min?: AgeBound; max?: AgeBound };
}

/** The kernel's raw pattern (sysfs access_pattern/{sz,nr_accesses,age}/{min,max}). */
export interface RawAccessPattern {
  minSz: number;
  maxSz: number;
  minNrAccesses: number;
  maxNrAccesses: number;
  minAge: number;
  maxAge: number;
}

/** What `max` means for the count fields: the kernel's UINT_MAX. */
export const UINT_MAX = 2 ** 32 - 1;
/** What `max` means for sizes: the largest exact byte count here. */
export const SIZE_MAX = Number.MAX_SAFE_INTEGER;

export interface MonitoringIntervals {
  sampleIntervalUs: number;
  aggregationIntervalUs: number;
}

function wholeIn(field: string, value: number, max: number, unit: string): number {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new InvalidArgumentError(field, `${unit}: an integer from 0 to ${max}, or 'min'/'max'`, value);
  return value;
}

function sizeBound(field: string, v: SizeBound | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (v === 'min') return 0;
  if (v === 'max') return SIZE_MAX;
  if (typeof v === 'number') return wholeIn(field, v, SIZE_MAX, 'bytes');
  return parseBytes(v, field);
}

/** max_nr_accesses: aggregation / sampling interval (Documentation/mm/damon/design.rst, "Region Based Sampling"). */
export function maxNrAccesses(i: MonitoringIntervals): number {
  return Math.min(UINT_MAX, Math.floor(i.aggregationIntervalUs / Math.max(1, i.sampleIntervalUs)));
}

function rateBound(field: string, v: RateBound | undefined, fallback: number, i: MonitoringIntervals): number {
  if (v === undefined) return fallback;
  if (v === 'min') return 0;
  if (v === 'max') return UINT_MAX;
  if (typeof v === 'number') return wholeIn(field, v, UINT_MAX, 'a raw access count per aggregation interval');
  const m = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(v) : null;
  const pct = m ? Number(m[1]) : NaN;
  if (!(pct >= 0 && pct <= 100)) throw new InvalidArgumentError(field, "a percentage from '0%' to '100%', 'min', 'max' or a raw access count", v);
  // damo: percent × (aggregation / sampling) / 100, truncated (5% of 20 samples = 1).
  return Math.floor((pct * maxNrAccesses(i)) / 100);
}

function ageBound(field: string, v: AgeBound | undefined, fallback: number, i: MonitoringIntervals): number {
  if (v === undefined) return fallback;
  if (v === 'min') return 0;
  if (v === 'max') return UINT_MAX;
  if (typeof v === 'number') return wholeIn(field, v, UINT_MAX, 'a raw count of aggregation intervals');
  if (typeof v !== 'string' || !/[a-z]$/.test(v.trim())) {
    throw new InvalidArgumentError(field, "a duration with a unit ('1s', '100ms'), 'min', 'max' or a raw count of aggregation intervals", v);
  }
  // damo: time / aggregation interval, truncated (7 s at 100 ms = 70).
  return Math.floor(durationToUs(field, v, 0, Number.MAX_SAFE_INTEGER) / i.aggregationIntervalUs);
}

/** The raw pattern for the given monitoring intervals; defaults accept everything. Errors name the field. */
export function toRawPattern(p: AccessPatternOptions | undefined, i: MonitoringIntervals, field = 'pattern'): RawAccessPattern {
  const o = p ?? {};
  if (typeof o !== 'object' || o === null) throw new InvalidArgumentError(field, 'an object {size?, accessRate?, age?}', p);
  const raw: RawAccessPattern = {
    minSz: sizeBound(`${field}.size.min`, o.size?.min, 0),
    maxSz: sizeBound(`${field}.size.max`, o.size?.max, SIZE_MAX),
    minNrAccesses: rateBound(`${field}.accessRate.min`, o.accessRate?.min, 0, i),
    maxNrAccesses: rateBound(`${field}.accessRate.max`, o.accessRate?.max, UINT_MAX, i),
    minAge: ageBound(`${field}.age.min`, o.age?.min, 0, i),
    maxAge: ageBound(`${field}.age.max`, o.age?.max, UINT_MAX, i),
  };
  const pairs: [string, number, number][] = [
    ['size', raw.minSz, raw.maxSz],
    ['accessRate', raw.minNrAccesses, raw.maxNrAccesses],
    ['age', raw.minAge, raw.maxAge],
  ];
  for (const [name, min, max] of pairs) {
    if (min > max) throw new InvalidArgumentError(`${field}.${name}.max`, `at least ${name}.min (${min} in raw units)`, max);
  }
  return raw;
}

export interface PatternRegion {
  start: number;
  end: number;
  nrAccessesBp: number;
  age: number;
}

/** __damos_valid_target's pattern test: inclusive bounds, the access count from nr_accesses_bp / 10000. */
export function matchesPattern(r: PatternRegion, p: RawAccessPattern): boolean {
  const size = r.end - r.start;
  const nr = Math.floor(r.nrAccessesBp / 10_000);
  return size >= p.minSz && size <= p.maxSz && nr >= p.minNrAccesses && nr <= p.maxNrAccesses && r.age >= p.minAge && r.age <= p.maxAge;
}
