// One recording from start to end, as the `record` and `monitor` commands run it: a process
// (by pid) or a Node script run in this process, until a duration elapses, the program ends,
// or SIGINT/SIGTERM.
import { existsSync } from 'node:fs';
import { InvalidArgumentError } from '../errors.js';
import { formatBytes } from '../units/bytes.js';
import type { EndLine } from './format.js';
import { Recorder, type RecorderOptions, type RecorderProgress } from './recorder.js';
import { runScript, scriptOf } from './run-script.js';

export interface RunTarget {
  /** Another process (exclusive with `command`). */
  pid?: number;
  /** A Node script and its arguments to run in this process. */
  command?: string[];
  /** Stop after this many milliseconds (default: when the program ends or on SIGINT/SIGTERM). */
  durationMs?: number;
}

/**
 * Checks the target: exactly one of a pid and a script, the script existing. Returns the
 * script to run, or null for a pid.
 */
export function checkTarget(target: RunTarget): { script: string; args: string[] } | null {
  const hasCommand = target.command !== undefined && target.command.length > 0;
  if (hasCommand === (target.pid !== undefined)) throw new InvalidArgumentError('--pid', 'given, or else a Node script to run (one of the two)', target.pid ?? 'neither');
  const script = hasCommand ? scriptOf(target.command ?? []) : null;
  if (script && !existsSync(script.script)) throw new InvalidArgumentError('script', 'an existing Node script', script.script);
  return script;
}

/**
 * Runs the script (if any) and resolves with why the run ended: `duration`, `exit` (the
 * script's work is done, or the process with that pid is gone) or `signal`. The script keeps
 * running after a duration's end: the caller decides whether to exit.
 */
export async function runUntilDone(target: RunTarget): Promise<EndLine['reason']> {
  const script = checkTarget(target);
  let finish: (reason: EndLine['reason']) => void = () => {};
  const done = new Promise<EndLine['reason']>((resolve) => (finish = resolve));
  const timers: NodeJS.Timeout[] = [];
  if (target.durationMs !== undefined) timers.push(setTimeout(() => finish('duration'), target.durationMs));
  const onSignal = () => finish('signal');
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  const onExit = () => finish('exit');
  const pid = target.pid;
  if (pid !== undefined) timers.push(setInterval(() => existsSync(`/proc/${pid}`) || onExit(), 200));
  // The script's own work keeps the event loop alive; once it is done, so is the run.
  else process.once('beforeExit', onExit);
  if (script) await runScript(script.script, script.args);
  const reason = await done;
  for (const t of timers) clearTimeout(t);
  process.off('SIGINT', onSignal).off('SIGTERM', onSignal).off('beforeExit', onExit);
  return reason;
}

export interface RecordSessionOptions extends Omit<RecorderOptions, 'command'>, RunTarget {
  /** Called about every `progressMs` (default 1000), and once at the end. */
  onProgress?: (p: RecorderProgress, recorder: Recorder) => void;
  progressMs?: number;
  onError?: (e: Error) => void;
}

/** One line: elapsed time, snapshots, regions, accessed, monitored and huge bytes. */
export function formatProgress(p: RecorderProgress): string {
  return (
    `recording ${(p.elapsedMs / 1000).toFixed(1)} s: ${p.snapshots} snapshots, ${p.regions} regions, accessed ${formatBytes(p.accessedBytes)} ` +
    `of ${formatBytes(p.targetBytes)}, on huge pages ${formatBytes(p.hugeBytes)}`
  );
}

/** Records until the end; resolves with the end line once the file (if any) is closed. */
export async function recordSession(options: RecordSessionOptions): Promise<EndLine> {
  const { command, durationMs, onProgress, progressMs, onError, ...recorderOptions } = options;
  checkTarget(options);
  const recorder = new Recorder({ ...recorderOptions, ...(command !== undefined && command.length > 0 ? { command } : {}) });
  if (onError) recorder.on('error', onError);
  await recorder.start();
  const progress = onProgress ? setInterval(() => onProgress(recorder.progress(), recorder), progressMs ?? 1000).unref() : undefined;
  const reason = await runUntilDone(options);
  clearInterval(progress);
  // The last state too: a run shorter than one progress interval still shows one.
  onProgress?.(recorder.progress(), recorder);
  return recorder.stop(reason);
}
