// Validates a workload description and fills in its defaults for the addon.
import { InvalidArgumentError } from '../errors.js';
import type { NativeRunSpec } from './native.js';
import { intIn, numberIn } from './options.js';
import type { Workload } from './types.js';

export const WORKLOAD_KINDS = ['uniform', 'zipf', 'sequential', 'strided', 'chase', 'hotcold', 'phases', 'trace'] as const;

const MAX_COUNT = Number.MAX_SAFE_INTEGER;
const MAX_BYTES = 2 ** 52;

function toBigInt(v: unknown, field: string, max: bigint): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'bigint' && v >= 0n && v <= max) return v;
  throw new InvalidArgumentError(field, `a non-negative integer (number or bigint) up to ${max}`, v);
}

/** The addon's run description for `w`, or an InvalidArgumentError naming the bad field. */
export function toRunSpec(w: Workload): NativeRunSpec {
  if (typeof w !== 'object' || w === null) throw new InvalidArgumentError('workload', 'an object', w);
  const kind = (w as { kind?: unknown }).kind;
  if (!(WORKLOAD_KINDS as readonly unknown[]).includes(kind)) {
    throw new InvalidArgumentError('workload.kind', `one of ${WORKLOAD_KINDS.join(', ')}`, kind);
  }
  if (w.kind === 'trace') {
    if (typeof w.path !== 'string' || w.path.length === 0) {
      throw new InvalidArgumentError('workload.path', 'the path of a trace file', w.path);
    }
    const count = w.count === undefined ? 0 : intIn(w.count, 'workload.count', 0, MAX_COUNT);
    return { kind: 'trace', path: w.path, count };
  }
  const base = toBigInt(w.base, 'workload.base', (1n << 57n) - 1n);
  const granule = w.granule === undefined ? 8 : intIn(w.granule, 'workload.granule', 1, 1 << 30);
  const bytes = intIn(w.bytes, 'workload.bytes', granule, MAX_BYTES);
  const spec: NativeRunSpec = {
    kind: w.kind,
    base,
    bytes,
    count: intIn(w.count, 'workload.count', 0, MAX_COUNT),
    granule,
    seed: w.seed === undefined ? 1n : toBigInt(w.seed, 'workload.seed', (1n << 64n) - 1n),
    writeFraction: w.writeFraction === undefined ? 0 : numberIn(w.writeFraction, 'workload.writeFraction', 0, 1),
    theta: 0.99,
    stride: 4096,
    hotFraction: 0.1,
    hotShare: 0.9,
    phaseLength: 1_000_000,
  };
  switch (w.kind) {
    case 'zipf':
      if (w.theta !== undefined) spec.theta = numberIn(w.theta, 'workload.theta', 0, 10);
      break;
    case 'strided':
      spec.stride = intIn(w.stride, 'workload.stride', granule, bytes);
      break;
    case 'phases':
    case 'hotcold':
      spec.hotFraction = numberIn(w.hotFraction, 'workload.hotFraction', 0, 1);
      spec.hotShare = numberIn(w.hotShare, 'workload.hotShare', 0, 1);
      if (w.kind === 'phases') spec.phaseLength = intIn(w.phaseLength, 'workload.phaseLength', 1, MAX_COUNT);
      break;
    default:
      break;
  }
  return spec;
}
