// The one place where errors thrown by the addon become the package's typed errors. Native
// code attaches `errno` ("ENOENT"), `syscall` and `path` to failed system calls
// (native/addon/errors.h) and `format: true` to text it could not parse
// (native/addon/async_call.h); everything else passes through unchanged.
import { FormatError, NoSuchProcessError, PermissionDeniedError, SystemCallError, ThpError } from '../errors.js';

/** What the failed call was about, so the typed error can name it. */
export interface NativeErrorContext {
  /** The target process (undefined or 0: this process). */
  pid?: number | undefined;
  /** For format errors: what the text should have been, e.g. `/proc/<pid>/smaps`. */
  source?: string;
}

interface NativeErrorFields {
  errno?: unknown;
  syscall?: unknown;
  path?: unknown;
  format?: unknown;
  message?: unknown;
}

/** Converts an error thrown or rejected by the addon into a ThpError subclass. */
export function fromNativeError(error: unknown, context: NativeErrorContext = {}): Error {
  if (error instanceof ThpError || typeof error !== 'object' || error === null) return error as Error;
  const fields = error as NativeErrorFields;
  const message = typeof fields.message === 'string' ? fields.message : String(error);
  if (fields.format === true) return new FormatError(context.source ?? 'input', message);
  if (typeof fields.errno !== 'string') return error as Error;
  const errno = fields.errno;
  const syscall = typeof fields.syscall === 'string' ? fields.syscall : 'system call';
  const pid = context.pid && context.pid > 0 ? context.pid : process.pid;
  const path = typeof fields.path === 'string' ? fields.path : '';
  // A missing /proc/<pid> directory (ENOENT) or a gone process (ESRCH) both mean "no such
  // process" when the call was about another process; for this process ENOENT is a missing file.
  const aboutOtherProcess = context.pid !== undefined && context.pid > 0 && context.pid !== process.pid;
  if (errno === 'ESRCH' || (errno === 'ENOENT' && aboutOtherProcess && isPerProcessPath(path, context.pid))) {
    return new NoSuchProcessError(pid);
  }
  if (errno === 'EPERM' || errno === 'EACCES') {
    return new PermissionDeniedError(pid, syscall, path ? `${errno} on ${path}` : errno);
  }
  return new SystemCallError(syscall, errno, path || message);
}

function isPerProcessPath(path: string, pid: number | undefined): boolean {
  return path === '' || path.startsWith(`/proc/${pid}/`) || path === `/proc/${pid}`;
}
