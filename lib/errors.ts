// Typed errors. Every error thrown by thp-autotune is a ThpError with a stable `code`, so
// callers can branch on the class or the code; messages name the field, range or syscall.

/** Base class of every error this package throws. */
export class ThpError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** An argument or option is missing, of the wrong type or out of its allowed range. */
export class InvalidArgumentError extends ThpError {
  /** The offending field, as a path such as `range.length` or `quota.ms`. */
  readonly field: string;
  /** The allowed values, in words (for example `an integer from 1 to 1000`). */
  readonly allowed: string;
  readonly received: unknown;
  constructor(field: string, allowed: string, received: unknown) {
    super('ERR_THP_INVALID_ARGUMENT', `${field} must be ${allowed}; received ${describe(received)}`);
    this.field = field;
    this.allowed = allowed;
    this.received = received;
  }
}

/** The platform, kernel or build lacks what a call needs; `reason` says what is missing. */
export class NotSupportedError extends ThpError {
  readonly feature: string;
  readonly reason: string;
  constructor(feature: string, reason: string, options?: { cause?: unknown }) {
    super('ERR_THP_NOT_SUPPORTED', `${feature} is not supported here: ${reason}`, options);
    this.feature = feature;
    this.reason = reason;
  }
}

/** The target process exists but this process may not act on it (EPERM/EACCES). */
export class PermissionDeniedError extends ThpError {
  readonly pid: number;
  readonly syscall: string;
  constructor(pid: number, syscall: string, detail: string) {
    super('ERR_THP_PERMISSION_DENIED', `${syscall} on pid ${pid} was refused: ${detail}`);
    this.pid = pid;
    this.syscall = syscall;
  }
}

/** No process with this pid exists (ESRCH), or it exited while we worked on it. */
export class NoSuchProcessError extends ThpError {
  readonly pid: number;
  constructor(pid: number, message = `no process with pid ${pid} exists`) {
    super('ERR_THP_NO_SUCH_PROCESS', message);
    this.pid = pid;
  }
}

/**
 * The pinned process (pinProcess) exited and its pid now belongs to another process: its
 * start time (/proc/<pid>/stat field 22) changed. Nothing was done to the newcomer.
 */
export class ProcessReplacedError extends NoSuchProcessError {
  readonly expectedStartTime: bigint;
  readonly foundStartTime: bigint;
  constructor(pid: number, expectedStartTime: bigint, foundStartTime: bigint) {
    super(pid, `the process pinned as pid ${pid} (start time ${expectedStartTime}) is gone: pid ${pid} now belongs to another process (start time ${foundStartTime})`);
    this.expectedStartTime = expectedStartTime;
    this.foundStartTime = foundStartTime;
  }
}

/** Part of the given address range is not mapped in the target process. */
export class NotMappedError extends ThpError {
  readonly address: bigint;
  readonly length: number;
  constructor(address: bigint, length: number, detail = 'not mapped') {
    super('ERR_THP_NOT_MAPPED', `range 0x${address.toString(16)}+${length} is ${detail}`);
    this.address = address;
    this.length = length;
  }
}

/** A system call failed for a reason not covered by a more specific class. */
export class SystemCallError extends ThpError {
  readonly syscall: string;
  readonly errno: string;
  constructor(syscall: string, errno: string, detail: string) {
    super('ERR_THP_SYSCALL', `${syscall} failed with ${errno}: ${detail}`);
    this.syscall = syscall;
    this.errno = errno;
  }
}

/** Text that should be in a kernel file format (such as /proc/<pid>/smaps) is not. */
export class FormatError extends ThpError {
  /** What the text was supposed to be, for example `/proc/<pid>/maps`. */
  readonly source: string;
  constructor(source: string, detail: string) {
    super('ERR_THP_FORMAT', `${source} text is malformed: ${detail}`);
    this.source = source;
  }
}

/** The longest echo of a received value in a message: the value itself stays on `received`. */
const MAX_DESCRIBED = 80;

function describe(value: unknown): string {
  const text = describeWhole(value);
  return text.length <= MAX_DESCRIBED ? text : `${text.slice(0, MAX_DESCRIBED)}... (${text.length} characters)`;
}

function describeWhole(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined || typeof value !== 'object') return String(value);
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value.constructor.name;
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** An object is busy with an asynchronous operation and rejects other calls until it settles. */
export class BusyError extends ThpError {
  readonly resource: string;
  constructor(resource: string, detail: string) {
    super('ERR_THP_BUSY', `${resource} is busy: ${detail}`);
    this.resource = resource;
  }
}
