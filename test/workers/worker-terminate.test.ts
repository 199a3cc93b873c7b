// Regression (issue "Reliability"): terminating a worker_thread that used the addon aborted
// the whole process (rc 134): node-addon-api turned the N-API calls that fail while the
// worker's environment shuts down into a FATAL ERROR (ThreadSafeFunction callbacks, promise
// settlements) or a C++ throw that reached std::terminate (module registration). A child
// process starts and terminates workers many times, each using the addon one way, and must exit 0.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { distEntry } from '../helpers/dist-entry.js';

const script = path.join(__dirname, 'terminate-workers.cjs');
const ROUNDS = 60;

async function run(mode: string): Promise<{ code: number | null; signal: string | null; output: string }> {
  const child = spawn(process.execPath, [script, distEntry, mode, String(ROUNDS)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  return { code, signal, output };
}

describe('terminating worker_threads that use the addon', () => {
  it.each(['monitor', 'memory', 'tuner'])(
    'leaves the process running (workers using a %s)',
    async (mode) => {
      const result = await run(mode);
      expect(result.output).not.toMatch(/FATAL ERROR|terminate called/);
      expect({ code: result.code, signal: result.signal }).toEqual({ code: 0, signal: null });
      expect(result.output).toContain(`survived ${ROUNDS} terminations (${mode})`);
    },
    240_000,
  );
});
