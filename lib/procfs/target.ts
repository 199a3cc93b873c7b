// Which process a /proc read or a memory operation is about, validated once for every caller.
import { readFileSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import { NoSuchProcessError, ProcessReplacedError } from '../errors.js';
import { PID_MAX_LIMIT, PidSchema, Strict } from '../validation/schemas.js';
import { validate } from '../validation/validate.js';

/**
 * A pid tied to one process by its start time (clock ticks after boot, /proc/<pid>/stat
 * field 22), from pinProcess(). Pids are reused once a process is gone; a call given a pinned
 * process checks the start time first and throws ProcessReplacedError instead of acting on
 * a newcomer that got the same pid.
 */
export interface PinnedProcess {
  readonly pid: number;
  readonly startTime: bigint;
}

/** A process to act on: a pid, a pinned process, or `'self'` (the default) for this process. */
export type ProcessTarget = number | 'self' | PinnedProcess;

/** A ProcessTarget as options take it. */
export const ProcessTargetSchema = Type.Union([Type.Literal('self'), PidSchema, Strict({ pid: PidSchema, startTime: Type.BigInt() })], {
  allowed: `'self' or an integer pid from 1 to ${PID_MAX_LIMIT}`,
});

/** The fields of /proc/<pid>/stat after the command name, so that `fields[n - 3]` is field n; NoSuchProcessError when there is no such process. */
function statFields(pid: number): string[] {
  validate(PidSchema, pid, 'pid');
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    throw new NoSuchProcessError(pid);
  }
  // The command name (field 2) is in parentheses and may itself hold spaces and ')'.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** The start time of `pid` (field 22 of /proc/<pid>/stat); NoSuchProcessError when there is no such process. */
export function processStartTime(pid: number): bigint {
  return BigInt(statFields(pid)[22 - 3]!);
}

/**
 * CPU time `pid` has used, user plus system, all its threads (fields 14 and 15 of
 * /proc/<pid>/stat), in ns. The kernel reports them in USER_HZ ticks, which Linux fixes at 100
 * per second for user space on every architecture this package builds for.
 */
export function processCpuNs(pid: number): number {
  const fields = statFields(pid);
  return (Number(fields[14 - 3]) + Number(fields[15 - 3])) * 1e7;
}

/** Pins the process that has `pid` now, so later calls cannot act on another process that reuses the pid. */
export function pinProcess(pid: number): PinnedProcess {
  return Object.freeze({ pid, startTime: processStartTime(pid) });
}

/**
 * The pid the native calls take: 0 for this process, else the validated pid. A pinned
 * process is checked to be the same one still (its start time unchanged). The check runs
 * just before the call, so a pid reused between the check and the system call itself (a
 * window of microseconds, against the kernel cycling through up to 2^22 pids) is not seen.
 */
export function nativePid(target: ProcessTarget | undefined, field = 'pid'): number {
  if (target === undefined) return 0;
  const checked = validate(ProcessTargetSchema, target, field);
  if (checked === 'self') return 0;
  if (typeof checked === 'number') return checked;
  const found = processStartTime(checked.pid);
  if (found !== checked.startTime) throw new ProcessReplacedError(checked.pid, checked.startTime, found);
  return checked.pid;
}
