// Runs the real thp-autotune binary (bin/thp-autotune.cjs, on the built dist/cli.cjs) in a
// child process. `npm test` builds it first; a missing build fails loudly here.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
export const cliBin = path.join(root, 'bin/thp-autotune.cjs');
if (!existsSync(path.join(root, 'dist/cli.cjs'))) throw new Error(`no build at ${root}/dist/cli.cjs: run npm run build:ts`);

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with `args` (stdout and stderr are pipes: not a terminal); the child is killed after `timeoutMs`. */
export function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 30_000): CliRun {
  const result = spawnSync(process.execPath, [cliBin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, timeout: timeoutMs });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs the CLI on a pseudo-terminal (util-linux `script`), as a user at a terminal would see
 * it: stdout and stderr together, with the terminal's \r\n line ends. Null where `script` is missing.
 */
export function runCliOnTerminal(args: string[], env: Record<string, string> = {}): CliRun | null {
  const command = [process.execPath, cliBin, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const result = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: root, encoding: 'utf8', env: { ...process.env, TERM: 'xterm', ...env }, timeout: 30_000 });
  if (result.error !== undefined) return null;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
