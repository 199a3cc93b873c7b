// Validates TlbSimulator options and resolves them to a complete MachineConfig: the preset,
// then `levels` and `nested`, then `overrides`. Every error names the field path and the
// allowed range.
import { Type } from '@sinclair/typebox';
import { InvalidArgumentError } from '../errors.js';
import { Integer, Strict } from '../validation/schemas.js';
import { validate } from '../validation/validate.js';
import { presetConfig, presetNames } from './presets.js';
import { PAGE_SIZES, type ArrayShape, type MachineConfig, type NestedConfig, type TlbArrayConfig, type TlbSimulatorOptions, type WalkCacheConfig } from './types.js';

const MAX_ENTRIES = 1 << 22;
const WALK_CACHE_KEYS = ['pde', 'pdpte', 'pml4', 'pml5'] as const;

export const PageSizeSchema = Type.Union(PAGE_SIZES.map((p) => Type.Literal(p)));
const LevelsSchema = Type.Union([Type.Literal(4), Type.Literal(5)], { allowed: '4 or 5' });
const shapeProperties = { entries: Type.Optional(Integer(0, MAX_ENTRIES)), ways: Type.Optional(Integer(0, MAX_ENTRIES)) };
const ShapeSchema = Strict(shapeProperties);
const WalkCachesSchema = Strict({ pde: Type.Optional(ShapeSchema), pdpte: Type.Optional(ShapeSchema), pml4: Type.Optional(ShapeSchema), pml5: Type.Optional(ShapeSchema) });
const TlbArraySchema = Strict({ entries: Integer(0, MAX_ENTRIES), ways: Integer(0, MAX_ENTRIES), sizes: Type.Array(PageSizeSchema, { minItems: 1, maxItems: 3 }) });
const TlbLevelSchema = Type.Array(TlbArraySchema, { minItems: 1, maxItems: 4 });
const NestedSchema = Type.Union([
  Type.Boolean(),
  Strict({
    enabled: Type.Optional(Type.Boolean()),
    hostPageSize: Type.Optional(PageSizeSchema),
    hostLevels: Type.Optional(LevelsSchema),
    nestedTlb: Type.Optional(ShapeSchema),
    hostWalkCaches: Type.Optional(WalkCachesSchema),
  }),
]);
const Cycles = Type.Optional(Type.Number({ minimum: 0, maximum: 1e6 }));

export const TlbSimulatorOptionsSchema = Strict({
  preset: Type.Optional(Type.String()),
  levels: Type.Optional(LevelsSchema),
  nested: Type.Optional(NestedSchema),
  overrides: Type.Optional(
    Strict({
      name: Type.Optional(Type.String({ minLength: 1 })),
      levels: Type.Optional(LevelsSchema),
      l1: Type.Optional(TlbLevelSchema),
      l2: Type.Optional(TlbLevelSchema),
      walkCaches: Type.Optional(WalkCachesSchema),
      pageTableCache: Type.Optional(ShapeSchema),
      nested: Type.Optional(NestedSchema),
      cost: Type.Optional(Strict({ l2HitCycles: Cycles, cacheRefCycles: Cycles, dramRefCycles: Cycles, baseAccessCycles: Cycles })),
    }),
  ),
});

function mergeShape(base: ArrayShape, patch: Partial<ArrayShape>, field: string): ArrayShape {
  const entries = patch.entries ?? base.entries;
  const ways = patch.ways ?? base.ways;
  if (ways > entries || (ways > 0 && entries % ways !== 0)) {
    throw new InvalidArgumentError(`${field}.ways`, `0 (fully associative) or a divisor of entries (${entries})`, ways);
  }
  return { entries, ways };
}

function mergeWalkCaches(base: WalkCacheConfig, patch: Partial<Record<keyof WalkCacheConfig, Partial<ArrayShape>>>, field: string): WalkCacheConfig {
  const out = { ...base };
  for (const key of WALK_CACHE_KEYS) {
    const p = patch[key];
    if (p !== undefined) out[key] = mergeShape(base[key], p, `${field}.${key}`);
  }
  return out;
}

function tlbLevel(arrays: TlbArrayConfig[], field: string): TlbArrayConfig[] {
  return arrays.map((a, i) => ({ ...mergeShape(a, {}, `${field}[${i}]`), sizes: a.sizes }));
}

type NestedPatch = NonNullable<TlbSimulatorOptions['nested']>;

function mergeNested(base: NestedConfig, patch: NestedPatch, field: string): NestedConfig {
  if (typeof patch === 'boolean') return { ...base, enabled: patch };
  const out = { ...base, enabled: patch.enabled ?? true };
  if (patch.hostPageSize !== undefined) out.hostPageSize = patch.hostPageSize;
  if (patch.hostLevels !== undefined) out.hostLevels = patch.hostLevels;
  if (patch.nestedTlb !== undefined) out.nestedTlb = mergeShape(base.nestedTlb, patch.nestedTlb, `${field}.nestedTlb`);
  if (patch.hostWalkCaches !== undefined) out.hostWalkCaches = mergeWalkCaches(base.hostWalkCaches, patch.hostWalkCaches, `${field}.hostWalkCaches`);
  return out;
}

function mergeOverrides(base: MachineConfig, p: NonNullable<TlbSimulatorOptions['overrides']>): MachineConfig {
  const field = 'options.overrides';
  const out: MachineConfig = { ...base };
  if (p.name !== undefined) out.name = p.name;
  if (p.levels !== undefined) out.levels = p.levels;
  if (p.l1 !== undefined) out.l1 = tlbLevel(p.l1, `${field}.l1`);
  if (p.l2 !== undefined) out.l2 = tlbLevel(p.l2, `${field}.l2`);
  if (p.walkCaches !== undefined) out.walkCaches = mergeWalkCaches(base.walkCaches, p.walkCaches, `${field}.walkCaches`);
  if (p.pageTableCache !== undefined) out.pageTableCache = mergeShape(base.pageTableCache, p.pageTableCache, `${field}.pageTableCache`);
  if (p.nested !== undefined) out.nested = mergeNested(base.nested, p.nested, `${field}.nested`);
  if (p.cost !== undefined) out.cost = { ...base.cost, ...p.cost };
  return out;
}

/** The complete machine configuration for `options`, or an InvalidArgumentError naming the bad field. */
export function resolveMachine(raw: TlbSimulatorOptions = {}): MachineConfig {
  const o = validate(TlbSimulatorOptionsSchema, raw, 'options');
  const name = o.preset ?? 'zen4-vm';
  const preset = presetConfig(name);
  if (!preset) throw new InvalidArgumentError('options.preset', `one of ${presetNames().join(', ')}`, name);
  let config = preset;
  if (o.levels !== undefined) config.levels = o.levels;
  if (o.nested !== undefined) config.nested = mergeNested(config.nested, o.nested, 'options.nested');
  if (o.overrides !== undefined) config = mergeOverrides(config, o.overrides);
  return config;
}
