// Runs a fixture script in a child Node process and returns the JSON object it printed last.
// The fault tests run their scenarios in children so that a crash, an abort or a hang stays
// there; a child that died by a signal, wrote to stderr or reported `fatal` fails the test.
import { expect } from 'vitest';
import { distEntry } from './dist-entry.js';
import { spawnAsync } from './spawn-async.js';

export interface JsonChildOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** A program (and its arguments) that starts node, such as a seccomp launcher. */
  launcher?: string[];
}

/**
 * Runs `node <script> <dist entry> ...args`; checks it ended cleanly and returns its last JSON
 * line (untyped unless the caller names its shape: it is whatever the fixture printed).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function runJsonChild<T = any>(script: string, args: string[], options: JsonChildOptions = {}): Promise<T> {
  const [program, ...prefix] = [...(options.launcher ?? []), process.execPath];
  const r = await spawnAsync(program!, [...prefix, script, distEntry, ...args], { timeoutMs: options.timeoutMs ?? 60_000, ...(options.env ? { env: options.env } : {}) });
  expect(r.signal).toBeNull();
  expect(r.stderr).toBe('');
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? 'null');
  expect(out?.fatal).toBeUndefined();
  expect(r.status).toBe(0);
  return out as T;
}
