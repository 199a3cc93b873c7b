// Real processes for tests that read another process's /proc files.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';

/** Starts a child Node process that allocates and touches `megabytes` of anonymous memory, then idles. */
export async function startIdleChild(megabytes = 0): Promise<ChildProcess & { pid: number }> {
  const script = `const b = Buffer.alloc(${megabytes} * 1024 * 1024, 1); process.stdout.write('ready\\n'); setInterval(() => b[0]++, 1000);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(child.stdout!, 'data');
  if (child.pid === undefined) throw new Error('child did not start');
  return child as ChildProcess & { pid: number };
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
