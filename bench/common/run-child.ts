// Runs one configuration of a benchmark in a fresh Node process (vite-node on its child
// script) and returns the JSON object the child printed on its last line of output.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

export function runChildJson<T>(childScript: string, args: readonly string[], label: string): T {
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/vite-node/vite-node.mjs'), childScript, '--', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (r.status !== 0) throw new Error(`${label} child failed (${r.status ?? r.signal}): ${r.stderr}`);
  if (r.stderr.trim()) process.stderr.write(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as T;
}
