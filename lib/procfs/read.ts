// Shared plumbing of the procfs wrappers: get the Linux addon, call it, and turn native
// failures into typed errors naming the process or file format.
import { InvalidArgumentError } from '../errors.js';
import { callLinux, callLinuxSync } from '../native/call.js';
import type { NativeBinding } from '../native/types.js';

type Procfs = NativeBinding['procfs'];

/** Runs an asynchronous native read of `feature` (a /proc path) about `pid` (0 = this process). */
export function readNative<T>(feature: string, pid: number, read: (procfs: Procfs) => Promise<T>): Promise<T> {
  return callLinux(feature, { pid, source: feature }, (native) => read(native.procfs));
}

/** Runs a synchronous native parser of the text of `source` (such as `/proc/<pid>/maps`). */
export function parseNative<T>(source: string, parse: (procfs: Procfs) => T): T {
  return callLinuxSync(`parsing ${source}`, { source }, (native) => parse(native.procfs));
}

/** Parsers take the file's text as a string. */
export function requireText(text: unknown): asserts text is string {
  if (typeof text !== 'string') throw new InvalidArgumentError('text', 'a string (the text of the file)', text);
}
