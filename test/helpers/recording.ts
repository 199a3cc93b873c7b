// A real recording for the record/report/advise tests: `thp-autotune record` (the built binary)
// running test/record/fixtures/hot-writer.cjs until it ends.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { distEntry } from './dist-entry.js';

export const bin = path.resolve(__dirname, '../../bin/thp-autotune.cjs');

/** Runs the built CLI. */
export function thp(args: string[], timeoutMs = 60_000): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, THP_DIST_ENTRY: distEntry, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Records the hot-writer fixture (until it ends, `seconds` after its setup) into `out`; returns the CLI's run. */
export function recordFixture(out: string, seconds = 3): { status: number | null; stdout: string; stderr: string } {
  return thp(['record', '--out', out, '--json', '--', 'node', path.resolve(__dirname, '../record/fixtures/hot-writer.cjs'), String(seconds)], 90_000);
}
