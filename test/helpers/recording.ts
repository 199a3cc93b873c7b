// A real recording for the record/report/advise tests: `thp-autotune record` (the built binary)
// running test/record/fixtures/hot-writer.cjs until it ends.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { distEntry } from './dist-entry.js';

export const bin = path.resolve(__dirname, '../../bin/thp-autotune.cjs');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI without blocking this process's event loop (a test worker that blocks for
 * a minute misses vitest's own messages); the child is killed after `timeoutMs`.
 */
export function thp(args: string[], timeoutMs = 60_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { timeout: timeoutMs, env: { ...process.env, THP_DIST_ENTRY: distEntry, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Records the hot-writer fixture (until it ends, `seconds` after its setup) into `out`; returns the CLI's run. */
export function recordFixture(out: string, seconds = 3): Promise<CliRun> {
  return thp(['record', '--out', out, '--json', '--', 'node', path.resolve(__dirname, '../record/fixtures/hot-writer.cjs'), String(seconds)], 90_000);
}
