// Validates a workload description and fills in its defaults for the addon.
import { Type } from '@sinclair/typebox';
import { InvalidArgumentError } from '../errors.js';
import { ratioToFraction } from '../units/ratio.js';
import { Integer, RatioSchema, Strict } from '../validation/schemas.js';
import { validate } from '../validation/validate.js';
import type { NativeRunSpec } from './native.js';
import type { Workload } from './types.js';

export const WORKLOAD_KINDS = ['uniform', 'zipf', 'sequential', 'strided', 'chase', 'hotcold', 'phases', 'trace'] as const;

const MAX_COUNT = Number.MAX_SAFE_INTEGER;
const MAX_BYTES = 2 ** 52;
const Whole = (max: bigint, allowed: string) => Type.Union([Type.BigInt({ minimum: 0n, maximum: max }), Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })], { allowed });

const generated = {
  base: Whole((1n << 57n) - 1n, 'an address (a bigint, or a whole number below 2^53) below 2^57'),
  bytes: Integer(1, MAX_BYTES),
  count: Integer(0, MAX_COUNT),
  granule: Type.Optional(Integer(1, 1 << 30)),
  seed: Type.Optional(Whole((1n << 64n) - 1n, 'a seed (a bigint below 2^64, or a whole number below 2^53)')),
  writeFraction: Type.Optional(RatioSchema),
};
const hot = { hotFraction: RatioSchema, hotShare: RatioSchema };

export const WorkloadSchema = Type.Union(
  [
    Strict({ kind: Type.Literal('uniform'), ...generated }),
    Strict({ kind: Type.Literal('zipf'), ...generated, theta: Type.Optional(Type.Number({ minimum: 0, maximum: 10 })) }),
    Strict({ kind: Type.Literal('sequential'), ...generated }),
    Strict({ kind: Type.Literal('strided'), ...generated, stride: Integer(1, MAX_BYTES) }),
    Strict({ kind: Type.Literal('chase'), ...generated }),
    Strict({ kind: Type.Literal('hotcold'), ...generated, ...hot }),
    Strict({ kind: Type.Literal('phases'), ...generated, ...hot, phaseLength: Integer(1, MAX_COUNT) }),
    Strict({ kind: Type.Literal('trace'), path: Type.String({ minLength: 1 }), count: Type.Optional(Integer(0, MAX_COUNT)) }),
  ],
  { allowed: `a workload {kind: ${WORKLOAD_KINDS.map((k) => `'${k}'`).join(' | ')}, ...}` },
);

/** The addon's run description for `w`, or an InvalidArgumentError naming the bad field. */
export function toRunSpec(raw: Workload): NativeRunSpec {
  const w = validate(WorkloadSchema, raw, 'workload');
  if (w.kind === 'trace') return { kind: 'trace', path: w.path, count: w.count ?? 0 };
  const granule = w.granule ?? 8;
  if (w.bytes < granule) throw new InvalidArgumentError('workload.bytes', `an integer from granule (${granule}) to ${MAX_BYTES}`, w.bytes);
  const spec: NativeRunSpec = {
    kind: w.kind,
    base: BigInt(w.base),
    bytes: w.bytes,
    count: w.count,
    granule,
    seed: BigInt(w.seed ?? 1),
    writeFraction: w.writeFraction === undefined ? 0 : ratioToFraction('workload.writeFraction', w.writeFraction),
    theta: 0.99,
    stride: 4096,
    hotFraction: 0.1,
    hotShare: 0.9,
    phaseLength: 1_000_000,
  };
  switch (w.kind) {
    case 'zipf':
      if (w.theta !== undefined) spec.theta = w.theta;
      break;
    case 'strided':
      if (w.stride < granule || w.stride > w.bytes) throw new InvalidArgumentError('workload.stride', `an integer from ${granule} to ${w.bytes}`, w.stride);
      spec.stride = w.stride;
      break;
    case 'phases':
    case 'hotcold':
      spec.hotFraction = ratioToFraction('workload.hotFraction', w.hotFraction);
      spec.hotShare = ratioToFraction('workload.hotShare', w.hotShare);
      if (w.kind === 'phases') spec.phaseLength = w.phaseLength;
      break;
    default:
      break;
  }
  return spec;
}
