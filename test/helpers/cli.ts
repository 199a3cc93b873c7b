// Runs the thp-autotune CLI from the TypeScript sources in a child process (through vite-node).
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

/** Runs the CLI with `args`; the child is killed after `timeoutMs`. */
export function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 30_000): { status: number | null; stdout: string; stderr: string } {
  const runner = path.join(root, 'node_modules/vite-node/vite-node.mjs');
  const result = spawnSync(process.execPath, [runner, path.join(__dirname, 'run-cli.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: timeoutMs,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
