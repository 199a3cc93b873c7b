// Real processes for tests that read another process's /proc files.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';

/**
 * Starts a child Node process that allocates and touches `megabytes` of anonymous memory (a
 * Buffer, which glibc serves from its own mmap), then idles. `env` adds environment variables.
 */
export async function startIdleChild(megabytes = 0, env: Record<string, string> = {}): Promise<ChildProcess & { pid: number }> {
  const script = `const b = Buffer.alloc(${megabytes} * 1024 * 1024, 1); process.stdout.write('ready\\n'); setInterval(() => b[0]++, 1000);`;
  const child = spawn(process.execPath, ['-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  await once(child.stdout!, 'data');
  if (child.pid === undefined) throw new Error('child did not start');
  return child as ChildProcess & { pid: number };
}

/**
 * Starts `sleep` and waits until it sleeps (state S with a smaps that no longer changes), so
 * its memory stays the same while a test reads it.
 */
export async function startSleeper(): Promise<ChildProcess & { pid: number }> {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  if (child.pid === undefined) throw new Error('sleep did not start');
  let previous = '';
  for (let attempt = 0; attempt < 400; attempt++) {
    const state = readFileSync(`/proc/${child.pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    const smaps = readFileSync(`/proc/${child.pid}/smaps`, 'utf8');
    if (state === 'S' && smaps === previous && smaps.includes('sleep')) return child as ChildProcess & { pid: number };
    previous = smaps;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('sleep did not settle within 4 s');
}

/** Stops a child started by startIdleChild and waits for it to be reaped. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

/** A pid no process has: above pid_max when possible, else the first free one counting down. */
export function unusedPid(): number {
  const pidMax = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8'));
  if (pidMax < 4_194_304) return pidMax + 1;
  for (let pid = pidMax - 1; pid > 1; pid--) if (!existsSync(`/proc/${pid}`)) return pid;
  throw new Error('no free pid');
}

/**
 * Runs `script` (CommonJS, run with `node -e`) as the unprivileged user nobody (uid 65534) and
 * returns its stdout, or the reason that cannot be done here.
 */
export function runAsNobody(script: string): { stdout: string } | { unavailable: string } {
  if (process.getuid?.() !== 0) return { unavailable: 'dropping privileges needs root; tests run as a normal user' };
  const wrapped = `process.setgid(65534); process.setuid(65534); ${script}`;
  const result = spawnSync(process.execPath, ['-e', wrapped], { encoding: 'utf8', timeout: 20_000 });
  if (result.status !== 0) return { unavailable: `a child could not drop to uid 65534: ${result.stderr.trim()}` };
  return { stdout: result.stdout };
}
