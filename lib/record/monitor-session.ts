// The `monitor` command's run: a live view of a process (by pid) or of a Node script run in
// this process, refreshed each aggregation (at most `refreshMs` apart). Watching alone uses a
// Recorder without a file; with tuner options the HugepageTuner runs and its own monitor's
// snapshots are shown with its state (a second sampler on the same memory would collide).
import type { TunerOptions } from '../config/options.js';
import type { MonitorAttributes } from '../monitor/options.js';
import type { OwnMemorySourceKind } from '../sources/own-memory.js';
import { liveScreen, snapshotRecording, type TuningView } from '../report/live.js';
import { PagemapSource, ReferencedSource, type AccessSource } from '../sources/index.js';
import { HugepageTuner } from '../tuner/hugepage-tuner.js';
import type { QuotaReport } from '../schemes/scheme-runner.js';
import type { EndLine } from './format.js';
import type { Recording } from './reader.js';
import { Recorder } from './recorder.js';
import { checkTarget, runUntilDone, type RunTarget } from './session.js';

export interface MonitorSessionOptions extends RunTarget {
  monitoring?: Pick<MonitorAttributes, 'sampleInterval' | 'aggregationInterval' | 'minRegions' | 'maxRegions'>;
  /** Tune while watching (the options of `tune --config`). */
  tuner?: TunerOptions;
  /** How a script run here is watched without a tuner (the Recorder's `source`; default referenced). */
  source?: OwnMemorySourceKind;
  /** Called with each refresh: the screen text and what it shows. */
  onScreen: (screen: string, data: { recording: Recording; tuning: TuningView | null }) => void;
  refreshMs?: number;
  onError?: (e: Error) => void;
}

/** The recording format's name of the source a tuner's monitor runs on. */
function sourceName(source: AccessSource | undefined): Recording['header']['source'] {
  if (source instanceof ReferencedSource) return 'referenced';
  return source instanceof PagemapSource ? 'pagemap' : 'damon';
}

export async function monitorSession(options: MonitorSessionOptions): Promise<EndLine['reason']> {
  checkTarget(options);
  const command = options.command !== undefined && options.command.length > 0 ? options.command : null;
  let lastShown = 0;
  const show = (recording: Recording | null, tuning: TuningView | null) => {
    const now = performance.now();
    if (!recording || now - lastShown < (options.refreshMs ?? 250)) return;
    lastShown = now;
    options.onScreen(liveScreen(recording, tuning ? { tuning } : {}), { recording, tuning });
  };
  if (options.tuner) {
    const tuner = new HugepageTuner({ ...options.tuner, ...(options.pid !== undefined ? { pid: options.pid } : {}) });
    const quotas: (QuotaReport | undefined)[] = [];
    tuner.on('quota', (q) => (quotas[q.scheme] = q));
    tuner.on('aggregate', (s) => show(snapshotRecording(s, { pid: options.pid ?? process.pid, command, source: sourceName(tuner.monitor?.source) }), { stats: tuner.stats(), quotas }));
    tuner.on('error', (e) => options.onError?.(e));
    tuner.start();
    const reason = await runUntilDone(options);
    await tuner.stop();
    return reason;
  }
  const recorder = new Recorder({
    ...(options.pid !== undefined ? { pid: options.pid } : {}),
    ...(options.source ? { source: options.source } : {}),
    ...(options.monitoring ? { monitoring: options.monitoring } : {}),
    ...(command ? { command } : {}),
  });
  if (options.onError) recorder.on('error', options.onError);
  recorder.on('snapshot', () => show(recorder.current(), null));
  await recorder.start();
  const reason = await runUntilDone(options);
  await recorder.stop(reason);
  return reason;
}
