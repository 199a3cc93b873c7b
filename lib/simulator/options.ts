// Validates TlbSimulator options and resolves them to a complete MachineConfig: the preset,
// then `levels` and `nested`, then `overrides`. Every error names the field path and the
// allowed range.
import { InvalidArgumentError } from '../errors.js';
import { presetConfig, presetNames } from './presets.js';
import {
  PAGE_SIZES,
  type ArrayShape,
  type MachineConfig,
  type NestedConfig,
  type PageSize,
  type TlbArrayConfig,
  type TlbSimulatorOptions,
  type WalkCacheConfig,
} from './types.js';

const MAX_ENTRIES = 1 << 22;
const WALK_CACHE_KEYS = ['pde', 'pdpte', 'pml4', 'pml5'] as const;

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkKeys(value: Obj, field: string, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new InvalidArgumentError(`${field}.${key}`, `one of the known fields (${allowed.join(', ')})`, key);
    }
  }
}

function objectAt(v: unknown, field: string): Obj {
  if (!isObject(v)) throw new InvalidArgumentError(field, 'an object', v);
  return v;
}

/** An integer in [min, max]. */
export function intIn(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new InvalidArgumentError(field, `an integer from ${min} to ${max}`, v);
  }
  return v;
}

/** A finite number in [min, max]. */
export function numberIn(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new InvalidArgumentError(field, `a number from ${min} to ${max}`, v);
  }
  return v;
}

export function pageSize(v: unknown, field: string): PageSize {
  if (typeof v !== 'string' || !(PAGE_SIZES as readonly string[]).includes(v)) {
    throw new InvalidArgumentError(field, `one of ${PAGE_SIZES.join(', ')}`, v);
  }
  return v as PageSize;
}

function levels(v: unknown, field: string): 4 | 5 {
  if (v !== 4 && v !== 5) throw new InvalidArgumentError(field, '4 or 5', v);
  return v;
}

function mergeShape(base: ArrayShape, patch: unknown, field: string, extraKeys: readonly string[] = []): ArrayShape {
  const p = objectAt(patch, field);
  checkKeys(p, field, ['entries', 'ways', ...extraKeys]);
  const entries = p['entries'] === undefined ? base.entries : intIn(p['entries'], `${field}.entries`, 0, MAX_ENTRIES);
  const ways = p['ways'] === undefined ? base.ways : intIn(p['ways'], `${field}.ways`, 0, MAX_ENTRIES);
  if (ways > entries || (ways > 0 && entries % ways !== 0)) {
    throw new InvalidArgumentError(`${field}.ways`, `0 (fully associative) or a divisor of entries (${entries})`, ways);
  }
  return { entries, ways };
}

function mergeWalkCaches(base: WalkCacheConfig, patch: unknown, field: string): WalkCacheConfig {
  const p = objectAt(patch, field);
  checkKeys(p, field, WALK_CACHE_KEYS);
  const out = { ...base };
  for (const key of WALK_CACHE_KEYS) {
    if (p[key] !== undefined) out[key] = mergeShape(base[key], p[key], `${field}.${key}`);
  }
  return out;
}

function tlbLevel(patch: unknown, field: string): TlbArrayConfig[] {
  if (!Array.isArray(patch) || patch.length === 0 || patch.length > 4) {
    throw new InvalidArgumentError(field, 'an array of 1 to 4 TLB arrays ({entries, ways, sizes})', patch);
  }
  return patch.map((a: unknown, i) => {
    const f = `${field}[${i}]`;
    const o = objectAt(a, f);
    if (o['entries'] === undefined || o['ways'] === undefined || o['sizes'] === undefined) {
      throw new InvalidArgumentError(f, 'an object with entries, ways and sizes', a);
    }
    const shape = mergeShape({ entries: 0, ways: 0 }, o, f, ['sizes']);
    if (!Array.isArray(o['sizes']) || o['sizes'].length === 0) {
      throw new InvalidArgumentError(`${f}.sizes`, `a non-empty array of ${PAGE_SIZES.join(', ')}`, o['sizes']);
    }
    const sizes = o['sizes'].map((s: unknown, k) => pageSize(s, `${f}.sizes[${k}]`));
    return { ...shape, sizes };
  });
}

function mergeNested(base: NestedConfig, patch: unknown, field: string): NestedConfig {
  if (typeof patch === 'boolean') return { ...base, enabled: patch };
  const p = objectAt(patch, field);
  checkKeys(p, field, ['enabled', 'hostPageSize', 'hostLevels', 'nestedTlb', 'hostWalkCaches']);
  const out = { ...base, enabled: true };
  if (p['enabled'] !== undefined) {
    if (typeof p['enabled'] !== 'boolean') throw new InvalidArgumentError(`${field}.enabled`, 'a boolean', p['enabled']);
    out.enabled = p['enabled'];
  }
  if (p['hostPageSize'] !== undefined) out.hostPageSize = pageSize(p['hostPageSize'], `${field}.hostPageSize`);
  if (p['hostLevels'] !== undefined) out.hostLevels = levels(p['hostLevels'], `${field}.hostLevels`);
  if (p['nestedTlb'] !== undefined) out.nestedTlb = mergeShape(base.nestedTlb, p['nestedTlb'], `${field}.nestedTlb`);
  if (p['hostWalkCaches'] !== undefined) {
    out.hostWalkCaches = mergeWalkCaches(base.hostWalkCaches, p['hostWalkCaches'], `${field}.hostWalkCaches`);
  }
  return out;
}

function mergeOverrides(base: MachineConfig, patch: unknown): MachineConfig {
  const field = 'options.overrides';
  const p = objectAt(patch, field);
  checkKeys(p, field, ['name', 'levels', 'l1', 'l2', 'walkCaches', 'pageTableCache', 'nested', 'cost']);
  const out: MachineConfig = { ...base };
  if (p['name'] !== undefined) {
    if (typeof p['name'] !== 'string' || p['name'].length === 0) {
      throw new InvalidArgumentError(`${field}.name`, 'a non-empty string', p['name']);
    }
    out.name = p['name'];
  }
  if (p['levels'] !== undefined) out.levels = levels(p['levels'], `${field}.levels`);
  if (p['l1'] !== undefined) out.l1 = tlbLevel(p['l1'], `${field}.l1`);
  if (p['l2'] !== undefined) out.l2 = tlbLevel(p['l2'], `${field}.l2`);
  if (p['walkCaches'] !== undefined) out.walkCaches = mergeWalkCaches(base.walkCaches, p['walkCaches'], `${field}.walkCaches`);
  if (p['pageTableCache'] !== undefined) {
    out.pageTableCache = mergeShape(base.pageTableCache, p['pageTableCache'], `${field}.pageTableCache`);
  }
  if (p['nested'] !== undefined) out.nested = mergeNested(base.nested, p['nested'], `${field}.nested`);
  if (p['cost'] !== undefined) {
    const c = objectAt(p['cost'], `${field}.cost`);
    const keys = ['l2HitCycles', 'cacheRefCycles', 'dramRefCycles', 'baseAccessCycles'] as const;
    checkKeys(c, `${field}.cost`, keys);
    out.cost = { ...base.cost };
    for (const k of keys) {
      if (c[k] !== undefined) out.cost[k] = numberIn(c[k], `${field}.cost.${k}`, 0, 1e6);
    }
  }
  return out;
}

/** The complete machine configuration for `options`, or an InvalidArgumentError naming the bad field. */
export function resolveMachine(options: TlbSimulatorOptions = {}): MachineConfig {
  const o = objectAt(options, 'options');
  checkKeys(o, 'options', ['preset', 'levels', 'nested', 'overrides']);
  const name = o['preset'] === undefined ? 'this-machine' : o['preset'];
  const preset = typeof name === 'string' ? presetConfig(name) : undefined;
  if (!preset) throw new InvalidArgumentError('options.preset', `one of ${presetNames().join(', ')}`, name);
  let config = preset;
  if (o['levels'] !== undefined) config.levels = levels(o['levels'], 'options.levels');
  if (o['nested'] !== undefined) config.nested = mergeNested(config.nested, o['nested'], 'options.nested');
  if (o['overrides'] !== undefined) config = mergeOverrides(config, o['overrides']);
  return config;
}
