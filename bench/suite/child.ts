// One child process of the suite: one workload under one configuration (or the advisor's
// recording of it), from setup to the figures, printed as one JSON line (protocol.ts).
//
//   node vite-node bench/suite/child.ts -- '<ChildRequest as JSON>'
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { quantile } from '../common/stats.js';
import { recordAndAdvise } from './advisor-record.js';
import { converge } from './converge.js';
import { setHugepageBeforeTouch } from './memory.js';
import { measurePhases } from './phases.js';
import { hugeUnits, memoryFigures, otherThreadsCpu, otherThreadsCpuSince, splitPmdCount } from './probes.js';
import { RESULT_MARKER, type ChildAnswer, type ChildRequest, type Measurement, type MeasureRequest } from './protocol.js';
import { findWorkload } from './registry.js';
import { runSliced } from './sliced-run.js';
import { TunerSession } from './tuner-session.js';
import type { Workload } from './workload.js';

function latencyFigures(latenciesNs: number[]): Measurement['latency'] {
  if (latenciesNs.length === 0) return null;
  return { count: latenciesNs.length, p50Ns: quantile(latenciesNs, 0.5), p99Ns: quantile(latenciesNs, 0.99), p999Ns: quantile(latenciesNs, 0.999) };
}

async function measure(w: Workload, req: MeasureRequest): Promise<Measurement> {
  setHugepageBeforeTouch(req.hugepageBeforeTouch);
  const t0 = performance.now();
  await w.setup(req.scale);
  const setupMs = performance.now() - t0;
  const splitsBefore = await splitPmdCount();
  const session = req.tuner ? new TunerSession(req.tuner) : null;
  const converged = await converge(w, req.timing, session?.pace ?? null);

  const loop = monitorEventLoopDelay({ resolution: 1 });
  const cpuBefore = otherThreadsCpu();
  loop.enable();
  let phases: Measurement['phases'] = null;
  let run;
  // Without a tuner nothing reacts to a move, so such a configuration is measured as any other
  // workload is; with one, the phases are the measurement.
  if (w.moveHotSet && session && req.timing.phase.moves > 0) {
    ({ run, phases } = await measurePhases(w, req.timing, session));
  } else {
    run = await runSliced((ms) => w.run(ms), { durationMs: req.timing.measureMs, sliceMs: req.timing.sliceMs });
  }
  loop.disable();
  const otherThreadsCpuMs = otherThreadsCpuSince(cpuBefore) / 1e6;

  const memory = await memoryFigures();
  const ranges = w.hotRanges?.() ?? [];
  const hot = ranges.length > 0 ? await hugeUnits(ranges) : null;
  const splitsAfter = await splitPmdCount();
  const tuner = session?.figures() ?? null;
  await session?.stop();
  return {
    setupMs,
    throughput: run.ops / (run.elapsedMs / 1000),
    ops: run.ops,
    measuredMs: run.elapsedMs,
    latency: latencyFigures(run.latenciesNs),
    ...memory,
    hot,
    timeToHugeMs: converged.timeToHugeMs,
    convergeMs: converged.ms,
    convergeEnd: converged.end,
    splitPmd: splitsBefore === null || splitsAfter === null ? null : splitsAfter - splitsBefore,
    otherThreadsCpuMs,
    // No sample at all (a slice that never ended within the measurement) is not a delay of 0.
    loopP99Ms: loop.count > 0 ? loop.percentile(99) / 1e6 : null,
    longSlicesPerS: run.longSlices / (run.elapsedMs / 1000),
    tuner,
    phases,
  };
}

async function answer(req: ChildRequest): Promise<ChildAnswer> {
  try {
    const w = await findWorkload(req.workloadFile, req.workload);
    if (req.mode === 'record') return { ok: true, prediction: await recordAndAdvise(w, req.scale, req.timing) };
    return { ok: true, measurement: await measure(w, req) };
  } catch (e) {
    return { ok: false, error: (e as Error).stack ?? String(e) };
  }
}

const request = JSON.parse(process.argv.slice(2).filter((a) => a !== '--')[0]!) as ChildRequest;
const result = await answer(request);
process.stdout.write(`\n${RESULT_MARKER}${JSON.stringify(result)}\n`);
// A workload may leave timers or sockets behind; the answer is out, so the process ends here.
process.exit(0);
