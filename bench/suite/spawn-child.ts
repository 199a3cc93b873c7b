// Starts one child process (child.ts through vite-node, as the workload modules are TypeScript)
// and waits for its answer. Asynchronous, so that a signal reaching the parent meanwhile can
// end the child before the parent restores the THP setting and exits.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { RESULT_MARKER, type ChildAnswer, type ChildRequest } from './protocol.js';

const ROOT = path.resolve(__dirname, '../..');
const VITE_NODE = path.join(ROOT, 'node_modules/vite-node/vite-node.mjs');
const CHILD = path.join(__dirname, 'child.ts');
/** The V8 heap workload's Map needs more than V8's default old space on a small machine. */
const NODE_FLAGS = ['--max-old-space-size=4096'];

const running = new Set<ChildProcess>();

/** Ends the running children, if any (signal handlers call this). */
export function killRunningChild(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** Finds the answer line among whatever the child printed. */
export function parseAnswer(stdout: string): ChildAnswer | null {
  const at = stdout.lastIndexOf(RESULT_MARKER);
  if (at < 0) return null;
  const line = stdout.slice(at + RESULT_MARKER.length).split('\n')[0]!;
  return JSON.parse(line) as ChildAnswer;
}

export function runChild(request: ChildRequest, env: Record<string, string>, timeoutMs: number): Promise<ChildAnswer> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, VITE_NODE, CHILD, '--', JSON.stringify(request)], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      // What the child said on stderr (tuner errors, warnings) is passed on, indented.
      if (stderr.trim())
        process.stderr.write(
          stderr
            .trim()
            .split('\n')
            .map((l) => `    | ${l}`)
            .join('\n') + '\n',
        );
      let answer: ChildAnswer | null;
      try {
        answer = parseAnswer(stdout);
      } catch (e) {
        answer = { ok: false, error: `unreadable answer: ${(e as Error).message}` };
      }
      const how = signal === 'SIGKILL' ? `killed after ${timeoutMs / 1000} s (time limit)` : `exit ${code ?? signal}`;
      resolve(answer ?? { ok: false, error: `no answer (${how}): ${stderr.trim().split('\n').slice(-5).join(' / ')}` });
    });
  });
}
