// Schema pieces shared by every options object, so that a duration, a size, a ratio, a pid
// or an address is spelt and checked the same way everywhere (docs/conventions.md).
import { Kind, Type, TypeRegistry, type ObjectOptions, type TProperties, type TSchema } from '@sinclair/typebox';

/** An object that refuses keys it does not declare. */
export function Strict<T extends TProperties>(properties: T, options: ObjectOptions = {}) {
  return Type.Object(properties, { additionalProperties: false, ...options });
}

export function Integer(minimum: number, maximum: number, options: object = {}) {
  return Type.Integer({ minimum, maximum, ...options });
}

/** A duration: a number of milliseconds, or a string with a unit (us, ms, s, min). Ranges are checked where it is converted. */
export const DurationSchema = Type.Union([Type.Number(), Type.String({ pattern: '^\\s*\\d+(\\.\\d+)?\\s*(us|ms|s|min)\\s*$' })], {
  allowed: "a duration (milliseconds, or a string such as '5ms', '60s')",
});

/** A byte size: a whole number of bytes, or damo's grammar ('2M', '1.5G', '4GiB'). */
export const BytesSchema = Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^\\s*\\d+(\\.\\d+)?\\s*[kmgtpKMGTP]?([iI]?[bB])?\\s*$' })], {
  allowed: "a size (bytes, or a string such as '2M', '4GiB')",
});

/** A ratio: a fraction from 0 to 1, or a percentage string from '0%' to '100%'. */
export const RatioSchema = Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.String({ pattern: '^\\s*\\d+(\\.\\d+)?\\s*%\\s*$' })], {
  allowed: "a ratio (a fraction from 0 to 1, or a percentage such as '5%')",
});

/** The largest pid Linux can ever hand out (PID_MAX_LIMIT on 64-bit kernels, 2^22). */
export const PID_MAX_LIMIT = 4_194_304;

/** A pid Linux can hand out. */
export const PidSchema = Integer(1, PID_MAX_LIMIT, { allowed: `an integer pid from 1 to ${PID_MAX_LIMIT}` });

/** An address: a bigint, or a number when it is below 2^53. */
export const AddressSchema = Type.Union([Type.BigInt({ minimum: 0n, maximum: (1n << 64n) - 1n }), Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })], {
  allowed: 'an address (a bigint, or a whole number below 2^53)',
});

/** An address as the API takes it: a bigint, or a whole number below 2^53 (docs/conventions.md); every output address is a bigint. */
export type Address = bigint | number;

/** A kind of value outside JSON (an AbortSignal, a buffer), checked by `test`. */
function Instance<T>(kind: string, allowed: string, test: (value: unknown) => boolean): TSchema & { static: T } {
  if (!TypeRegistry.Has(kind)) TypeRegistry.Set(kind, (_schema, value) => test(value));
  return Type.Unsafe<T>({ [Kind]: kind, allowed });
}

export const AbortSignalSchema = Instance<AbortSignal>('AbortSignal', 'an AbortSignal', (v) => v instanceof AbortSignal);

/** This process's memory: an ArrayBuffer or a view of one. */
export const BufferSchema = Instance<ArrayBuffer | ArrayBufferView>('Buffer', 'an ArrayBuffer or a view of one', (v) => v instanceof ArrayBuffer || ArrayBuffer.isView(v));
