// Loads the compiled addon lazily (nothing happens at import time) and remembers why it could
// not be loaded, so every caller gets the same explanatory error.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { NotSupportedError } from '../errors.js';
import type { NativeBinding } from './types.js';

let binding: NativeBinding | undefined;
let loadFailure: Error | undefined;

/** The package root, found by walking up from this file (dist/ in a package, lib/native/ in a checkout). */
export function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (pkg.name === 'thp-autotune') return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('thp-autotune: cannot find the package root above ' + __dirname);
    dir = parent;
  }
}

function load(): NativeBinding {
  const requireHere = createRequire(path.join(packageRoot(), 'package.json'));
  // THP_AUTOTUNE_NATIVE points at a developer build (for example a sanitizer build from cmake-js).
  const override = process.env['THP_AUTOTUNE_NATIVE'];
  if (override) return requireHere(path.resolve(override)) as NativeBinding;
  const nodeGypBuild = requireHere('node-gyp-build') as (dir: string) => NativeBinding;
  return nodeGypBuild(packageRoot());
}

/** The native binding, or a NotSupportedError that says why it cannot be used here. */
export function nativeBinding(): NativeBinding {
  if (binding) return binding;
  if (loadFailure) throw loadFailure;
  try {
    binding = load();
    return binding;
  } catch (cause) {
    loadFailure = new NotSupportedError(
      'native-addon',
      `the thp-autotune native addon could not be loaded (${firstLine(cause)}); ` + 'reinstall with a C++ toolchain (npm rebuild thp-autotune) or use a platform with a prebuild',
      { cause },
    );
    throw loadFailure;
  }
}

/** Whether the native addon loads on this machine, without throwing. */
export function nativeAvailable(): boolean {
  try {
    nativeBinding();
    return true;
  } catch {
    return false;
  }
}

/** The native binding built for Linux, or a NotSupportedError naming the feature that needs it. */
export function linuxBinding(feature: string): NativeBinding {
  const native = nativeBinding();
  if (native.platform.backend !== 'linux') {
    throw new NotSupportedError(feature, `${feature} needs Linux; this is ${process.platform}`);
  }
  return native;
}

// Node's module errors append a multi-line require stack; the first line says what failed.
function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0]!;
}
