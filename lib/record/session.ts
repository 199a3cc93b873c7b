// One recording from start to end, as the `record` command runs it: a process (by pid) or a
// Node script run in this process, until a duration elapses, the recorded program ends, or
// SIGINT/SIGTERM; progress reported as it goes.
import { existsSync } from 'node:fs';
import { InvalidArgumentError } from '../errors.js';
import { formatBytes } from '../units/bytes.js';
import type { EndLine } from './format.js';
import { Recorder, type RecorderOptions, type RecorderProgress } from './recorder.js';
import { runScript, scriptOf } from './run-script.js';

export interface RecordSessionOptions extends Omit<RecorderOptions, 'command'> {
  /** A Node script and its arguments to run in this process and record (exclusive with `pid`). */
  command?: string[];
  /** Stop after this many milliseconds (default: when the program ends or on SIGINT/SIGTERM). */
  durationMs?: number;
  /** Called about every `progressMs` (default 1000). */
  onProgress?: (p: RecorderProgress) => void;
  progressMs?: number;
  onError?: (e: Error) => void;
}

/** One line: elapsed time, snapshots, regions, accessed, monitored and huge bytes. */
export function formatProgress(p: RecorderProgress): string {
  return (
    `recording ${(p.elapsedNs / 1e9).toFixed(1)} s: ${p.snapshots} snapshots, ${p.regions} regions, accessed ${formatBytes(p.accessedBytes)} ` +
    `of ${formatBytes(p.targetBytes)}, on huge pages ${formatBytes(p.hugeBytes)}`
  );
}

/**
 * Records until the end; resolves with the end line once the file is closed. With a script,
 * the script keeps running after a duration's end: the caller decides whether to exit.
 */
export async function recordSession(options: RecordSessionOptions): Promise<EndLine> {
  const { command, durationMs, onProgress, progressMs, onError, ...recorderOptions } = options;
  const hasCommand = command !== undefined && command.length > 0;
  if (hasCommand === (options.pid !== undefined)) throw new InvalidArgumentError('--pid', 'given, or else a Node script to run (one of the two)', options.pid ?? 'neither');
  const script = hasCommand ? scriptOf(command) : null;
  if (script && !existsSync(script.script)) throw new InvalidArgumentError('script', 'an existing Node script', script.script);
  const recorder = new Recorder({ ...recorderOptions, ...(hasCommand ? { command } : {}) });
  if (onError) recorder.on('error', onError);
  await recorder.start();
  let finish: (reason: EndLine['reason']) => void = () => {};
  const done = new Promise<EndLine['reason']>((resolve) => (finish = resolve));
  const timers: NodeJS.Timeout[] = [];
  if (durationMs !== undefined) timers.push(setTimeout(() => finish('duration'), durationMs));
  if (onProgress) timers.push(setInterval(() => onProgress(recorder.progress()), progressMs ?? 1000).unref());
  const onSignal = () => finish('signal');
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  const pid = options.pid;
  if (pid !== undefined) {
    // Another process: it ending ends the recording.
    timers.push(setInterval(() => existsSync(`/proc/${pid}`) || finish('exit'), 200));
  } else {
    // The script's own work keeps the event loop alive; once it is done, so is the recording.
    process.once('beforeExit', () => finish('exit'));
  }
  if (script) await runScript(script.script, script.args);
  const reason = await done;
  for (const t of timers) clearTimeout(t);
  process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  return recorder.stop(reason);
}
