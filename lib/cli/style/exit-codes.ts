// Exit codes of every thp-autotune command (docs/cli.md lists them). A script or a shell can
// tell a mistake in the command line from a machine that lacks a feature, a target that is
// gone, a refusal and a failure at run time.
import { InvalidArgumentError, NoSuchProcessError, NotSupportedError, PermissionDeniedError, ThpError } from '../../errors.js';

export const ExitCode = {
  /** The command did what it was asked. */
  ok: 0,
  /** It started and then failed: a system call, the monitor thread, the script it ran. */
  failure: 1,
  /** The command line is wrong: an unknown flag, a bad value, a missing or extra operand. */
  usage: 2,
  /** This machine lacks what the command needs (kernel feature, privilege model, addon). */
  notSupported: 3,
  /** The process given with --pid does not exist (or exited). */
  noSuchProcess: 4,
  /** The kernel refused access to the target process. */
  permissionDenied: 5,
  /** A file the command was given cannot be read or is malformed (configuration, trace). */
  badInput: 6,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** A mistake in the command line that no API validated (e.g. two flags that exclude each other). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Errors about the contents of a file: malformed text (FormatError), a trace the simulator cannot open or parse. */
const INPUT_CODES = new Set(['ERR_THP_FORMAT', 'ERR_THP_TRACE']);

/** Node's error codes for a path that cannot be read as given. */
const FILE_ERRNOS = new Set(['ENOENT', 'EACCES', 'EISDIR', 'ENOTDIR', 'ELOOP', 'ENAMETOOLONG']);

/** The exit code an error ends a command with. */
export function exitCodeFor(error: unknown): ExitCodeValue {
  if (error instanceof UsageError || error instanceof InvalidArgumentError) return ExitCode.usage;
  if (error instanceof NotSupportedError) return ExitCode.notSupported;
  if (error instanceof NoSuchProcessError) return ExitCode.noSuchProcess;
  if (error instanceof PermissionDeniedError) return ExitCode.permissionDenied;
  if (error instanceof ThpError && INPUT_CODES.has(error.code)) return ExitCode.badInput;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && FILE_ERRNOS.has(code) && typeof (error as { path?: unknown }).path === 'string') return ExitCode.badInput;
  return ExitCode.failure;
}
