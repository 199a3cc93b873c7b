// A real recording for the record/report/advise tests: `thp-autotune record` (the built binary)
// running test/record/fixtures/hot-writer.cjs until it ends.
import path from 'node:path';
import { cliBin, type CliRun } from './cli.js';
import { distEntry } from './dist-entry.js';
import { spawnAsync } from './spawn-async.js';

/**
 * Runs the built CLI without blocking this process's event loop (a test worker that blocks for
 * a minute misses vitest's own messages); the child is killed after `timeoutMs`.
 */
export async function thp(args: string[], timeoutMs = 60_000): Promise<CliRun> {
  const { status, stdout, stderr } = await spawnAsync(process.execPath, [cliBin, ...args], { timeoutMs, env: { ...process.env, THP_DIST_ENTRY: distEntry, NO_COLOR: '1' } });
  return { status, stdout, stderr };
}

/**
 * Records the hot-writer fixture (until it ends, `seconds` after its setup) into `out` with the
 * pagemap source (its per-sample rates are what the advisor reads); returns the CLI's run.
 */
export function recordFixture(out: string, seconds = 3): Promise<CliRun> {
  return thp(['record', '--source', 'pagemap', '--out', out, '--json', '--', 'node', path.resolve(__dirname, '../record/fixtures/hot-writer.cjs'), String(seconds)], 90_000);
}
