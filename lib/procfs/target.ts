// Which process a /proc read is about, validated once for every reader.
import { InvalidArgumentError } from '../errors.js';

/** The largest pid Linux can ever hand out (PID_MAX_LIMIT on 64-bit kernels, 2^22). */
export const PID_MAX_LIMIT = 4_194_304;

/** A process to read: a pid, or `'self'` (the default) for this process. */
export type ProcessTarget = number | 'self';

/** The pid the native readers take: 0 for this process, else the validated pid. */
export function nativePid(target: ProcessTarget | undefined, field = 'pid'): number {
  if (target === undefined || target === 'self') return 0;
  if (typeof target !== 'number' || !Number.isInteger(target) || target < 1 || target > PID_MAX_LIMIT) {
    throw new InvalidArgumentError(field, `'self' or an integer pid from 1 to ${PID_MAX_LIMIT}`, target);
  }
  return target;
}
