// The advisor's prediction for a workload (child side): the workload recorded on 4 KiB pages
// as `thp-autotune record` would record it (the referenced source: reads and writes, with its
// rate probe), then the advisor's public API on the recording. 20 ms sampling and 200 regions
// to find the hot set's edges.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { advise } from '../../lib/advisor/index.js';
import { Recorder, readRecording } from '../../lib/record/index.js';
import type { Prediction, Timing } from './protocol.js';
import { runSliced } from './sliced-run.js';
import type { Scale, Workload } from './workload.js';

export async function recordAndAdvise(w: Workload, scale: Scale, timing: Timing): Promise<Prediction> {
  await w.setup(scale);
  const dir = mkdtempSync(path.join(tmpdir(), 'thp-bench-suite-record-'));
  try {
    const file = path.join(dir, `${w.name}.jsonl.gz`);
    const recorder = new Recorder({ out: file, targetsInterval: '1s', monitoring: { sampleInterval: '20ms', aggregationInterval: '400ms', maxRegions: 200 } });
    recorder.on('error', (e) => process.stderr.write(`recorder: ${e.message}\n`));
    await recorder.start();
    await runSliced((ms) => w.run(ms), { durationMs: timing.recordMs, sliceMs: timing.sliceMs });
    await recorder.stop();
    const advice = await advise(await readRecording(file));
    return {
      speedupTuner: advice.layouts.tuner.speedup,
      speedupAlways: advice.layouts.always.speedup,
      hotBytes: advice.hotBytes,
      accessedBytes: advice.accessedBytes,
      addedBytesTuner: advice.layouts.tuner.addedBytes,
      addedBytesAlways: advice.layouts.always.addedBytes,
      snapshots: advice.snapshots,
      machine: advice.machine,
      caveats: advice.caveats,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
