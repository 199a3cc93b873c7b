// Small C helpers for fault tests (a seccomp launcher, a mapping-churn preload), compiled at
// test time with the system C compiler into a cache keyed by the source's content.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type Compiled = { path: string } | { unavailable: string };

/**
 * Compiles test/helpers/c/<name>.c into a program (`shared: false`) or a shared object for
 * LD_PRELOAD (`shared: true`); returns its path, or why it cannot be built here (no cc).
 */
export function compileC(name: string, options: { shared?: boolean } = {}): Compiled {
  const source = path.join(__dirname, 'c', `${name}.c`);
  const text = readFileSync(source);
  const digest = createHash('sha256').update(text).update(String(options.shared)).digest('hex').slice(0, 16);
  const dir = path.join(os.tmpdir(), 'thp-autotune-test-c');
  const output = path.join(dir, `${name}-${digest}${options.shared ? '.so' : ''}`);
  if (existsSync(output)) return { path: output };
  const cc = process.env['CC'] ?? 'cc';
  mkdirSync(dir, { recursive: true });
  const partial = `${output}.${process.pid}.tmp`;
  const flags = options.shared ? ['-shared', '-fPIC', '-pthread'] : [];
  const r = spawnSync(cc, ['-O2', '-Wall', '-Werror', ...flags, '-o', partial, source], { encoding: 'utf8', timeout: 60_000 });
  if (r.error) return { unavailable: `no C compiler (${cc}): ${r.error.message}` };
  if (r.status !== 0) return { unavailable: `${cc} could not build ${name}.c: ${r.stderr.trim()}` };
  renameSync(partial, output); // atomic: a parallel run never executes a half-written file
  return { path: output };
}

/** The reason a compiled helper is missing, printed once by the test that needed it; null when it is there. */
export function unavailableReason(compiled: Compiled, test: string): string | null {
  if ('path' in compiled) return null;
  console.log(`${test} skipped: ${compiled.unavailable}`);
  return compiled.unavailable;
}
