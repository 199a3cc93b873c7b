// Calls into the Linux part of the addon and turns native failures into typed errors that
// name the process or file involved. Every Linux-only wrapper goes through here.
import { linuxBinding } from './binding.js';
import { fromNativeError, type NativeErrorContext } from './errors.js';
import type { NativeBinding } from './types.js';

/** Runs an asynchronous native call for `feature`, with `context` naming what it was about. */
export async function callLinux<T>(feature: string, context: NativeErrorContext, call: (native: NativeBinding) => Promise<T>): Promise<T> {
  const native = linuxBinding(feature);
  try {
    return await call(native);
  } catch (error) {
    throw fromNativeError(error, context);
  }
}

/** The synchronous counterpart of callLinux, for calls cheap enough for the JS thread. */
export function callLinuxSync<T>(feature: string, context: NativeErrorContext, call: (native: NativeBinding) => T): T {
  const native = linuxBinding(feature);
  try {
    return call(native);
  } catch (error) {
    throw fromNativeError(error, context);
  }
}
