// Shared plumbing of the procfs wrappers: get the Linux addon, call it, and turn native
// failures into typed errors naming the process or file format.
import { linuxBinding } from '../native/binding.js';
import { fromNativeError } from '../native/errors.js';
import type { NativeBinding } from '../native/types.js';

type Procfs = NativeBinding['procfs'];

/** Runs an asynchronous native read about `pid` (0 = this process). */
export async function readNative<T>(feature: string, pid: number, read: (procfs: Procfs) => Promise<T>): Promise<T> {
  const procfs = linuxBinding(feature).procfs;
  try {
    return await read(procfs);
  } catch (error) {
    throw fromNativeError(error, { pid, source: feature });
  }
}

/** Runs a synchronous native parser of the text of `source` (such as `/proc/<pid>/maps`). */
export function parseNative<T>(source: string, text: string, parse: (procfs: Procfs) => T): T {
  const procfs = linuxBinding(`parsing ${source}`).procfs;
  try {
    return parse(procfs);
  } catch (error) {
    throw fromNativeError(error, { source });
  }
}
