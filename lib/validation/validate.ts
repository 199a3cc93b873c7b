// The one validation layer of every options object: a TypeBox schema (which is also the JSON
// Schema published for configuration files and the source of the TypeScript types) checked by
// TypeBox, and its first failure turned into an InvalidArgumentError that names the field path
// (`schemes[0].quota.time`) and the allowed values, described from the schema itself.
// Unknown keys are refused everywhere, with the nearest known key as a suggestion.
import { Kind, type Static, type TSchema } from '@sinclair/typebox';
import { Value, ValueErrorType, type ValueError } from '@sinclair/typebox/value';
import { InvalidArgumentError } from '../errors.js';

/** `value` typed by `schema`, or an InvalidArgumentError for its first failure; `root` prefixes every field path. */
export function validate<T extends TSchema>(schema: T, value: unknown, root = ''): Static<T> {
  // The check alone first: valid values are the rule, and walking them through the error
  // iterator costs several times more (the tuner validates a pid and ranges on every call it
  // makes, each aggregation, on the JS thread).
  if (Value.Check(schema, value)) return value as Static<T>;
  const error = Value.Errors(schema, value).First();
  if (error !== undefined) throw toInvalidArgument(error, value, root);
  return value as Static<T>;
}

function toInvalidArgument(error: ValueError, whole: unknown, root: string): InvalidArgumentError {
  const segments = error.path.split('/').slice(1).map(unescapePointer);
  const field = fieldPath(root, segments);
  if (error.type === ValueErrorType.ObjectAdditionalProperties) {
    const key = segments.at(-1) ?? '';
    const known = Object.keys((error.schema as Keywords).properties ?? {});
    const nearest = suggest(key, known);
    const hint = nearest === undefined ? `allowed keys: ${known.join(', ')}` : `did you mean '${nearest}'?`;
    return new InvalidArgumentError(field, `absent: unknown key (${hint})`, error.value);
  }
  // An object in a union: the error of the one object alternative it can be (by its `kind`,
  // or the only object alternative), or its `kind` when it names none.
  if (error.type === ValueErrorType.Union && isPlainObject(error.value)) {
    const alts = ((error.schema as Keywords).anyOf ?? []).filter((alt) => (alt as Keywords).type === 'object');
    const kinds = alts.map((alt) => (alt as Keywords).properties?.['kind']?.['const']);
    const chosen = kinds.every((k) => k !== undefined) ? alts[kinds.indexOf(error.value['kind'])] : alts.length === 1 ? alts[0] : undefined;
    if (chosen !== undefined) return toInvalidArgumentIn(chosen, error.value, field);
    if (kinds.length > 0 && kinds.every((k) => k !== undefined)) {
      return new InvalidArgumentError(fieldPath(root, [...segments, 'kind']), `one of ${kinds.map((k) => `'${String(k)}'`).join(', ')}`, error.value['kind']);
    }
  }
  if (error.type === ValueErrorType.ObjectRequiredProperty) return new InvalidArgumentError(field, describe(error.schema), undefined);
  return new InvalidArgumentError(field, describe(error.schema), error.path === '' ? whole : error.value);
}

function toInvalidArgumentIn(schema: TSchema, value: unknown, field: string): InvalidArgumentError {
  const error = Value.Errors(schema, value).First();
  return error === undefined ? new InvalidArgumentError(field, describe(schema), value) : toInvalidArgument(error, value, field);
}

/** The JSON Schema keywords the descriptions read. */
interface Keywords {
  allowed?: string;
  const?: unknown;
  anyOf?: TSchema[];
  type?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, TSchema>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value) && !(value instanceof ArrayBuffer);
}

function unescapePointer(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}

/** `schemes[0].quota.time` from root 'options' (or '') and the pointer's segments. */
function fieldPath(root: string, segments: string[]): string {
  let out = root;
  for (const s of segments) out = /^\d+$/.test(s) ? `${out}[${s}]` : out === '' ? s : `${out}.${s}`;
  return out === '' ? 'options' : out;
}

/** The allowed values of `schema` in words: its `allowed` hint, or what its keywords say. */
export function describe(schema: TSchema): string {
  const k = schema as Keywords;
  if (k.allowed !== undefined) return k.allowed;
  if (k.const !== undefined) return `'${String(k.const)}'`;
  if (k.anyOf !== undefined) {
    const consts = k.anyOf.map((a) => (a as Keywords).const);
    if (consts.every((c) => c !== undefined)) return `one of ${consts.map((c) => `'${String(c)}'`).join(', ')}`;
    return k.anyOf.map(describe).join(' or ');
  }
  const range = (min: unknown, max: unknown) => (min !== undefined && max !== undefined ? ` from ${String(min)} to ${String(max)}` : min !== undefined ? ` of at least ${String(min)}` : '');
  switch (k.type) {
    case 'integer':
      return `an integer${range(k.minimum, k.maximum)}`;
    case 'number':
      return `a number${range(k.minimum, k.maximum)}`;
    case 'boolean':
      return 'true or false';
    case 'string':
      return k.minLength === 1 ? 'a non-empty string' : 'a string';
    case 'array':
      if (k.maxItems === undefined) return 'an array';
      return k.minItems !== undefined ? `an array of ${k.minItems} to ${k.maxItems} entries` : `an array of at most ${k.maxItems} entries`;
    case 'object':
      return `an object with keys ${Object.keys(k.properties ?? {}).join(', ')}`;
    default:
      return String(schema[Kind]);
  }
}

/** The known key nearest to a misspelt one, if one is near enough to be what was meant. */
export function suggest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

/** Levenshtein distance with adjacent transpositions counted as one edit ('tiem' is one from 'time'). */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = rows[i]!;
      const up = rows[i - 1]!;
      row[j] = Math.min(up[j]! + 1, row[j - 1]! + 1, up[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, rows[i - 2]![j - 2]! + 1);
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * `schema` as plain JSON Schema for files: alternatives no file can hold (bigint) are left
 * out, and so is the `allowed` wording the errors use.
 */
export function toJsonSchema(schema: TSchema): unknown {
  return JSON.parse(
    JSON.stringify(schema, (key, value: unknown) => {
      if (key === 'allowed' || typeof value === 'bigint') return undefined;
      if (key === 'anyOf' && Array.isArray(value)) return value.filter((alt: Keywords) => alt.type !== 'bigint');
      return value;
    }),
  );
}
