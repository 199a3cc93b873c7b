// Runs a workload the way a service runs its work: in short slices with the event loop served
// between them, so that timers, I/O callbacks and the tuner's own JavaScript get their turn,
// and what they cost shows up in the workload's throughput and the event-loop delay.
import type { WorkloadRun } from './workload.js';

export interface SlicedOptions {
  durationMs: number;
  sliceMs: number;
  /** Called about every pollMs (awaited; the workload waits meanwhile); true stops the run early. */
  onPoll?: (elapsedMs: number) => Promise<boolean | void>;
  pollMs?: number;
}

export interface SlicedResult {
  ops: number;
  elapsedMs: number;
  latenciesNs: number[];
  /**
   * Slices that ran LONG_SLICE_MS or more past their length: the workload's thread held up
   * inside one (descheduled, stalled by the hypervisor, waiting for a TLB flush). Each makes
   * one event-loop delay sample long, so at a few hundred slices a second a couple per second
   * set the p99 delay.
   */
  longSlices: number;
}

export const LONG_SLICE_MS = 2;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function runSliced(run: (ms: number) => Promise<WorkloadRun> | WorkloadRun, o: SlicedOptions): Promise<SlicedResult> {
  const start = performance.now();
  const end = start + o.durationMs;
  let nextPoll = start + (o.pollMs ?? Infinity);
  const latenciesNs: number[] = [];
  let ops = 0;
  let longSlices = 0;
  while (performance.now() < end) {
    const sliceStart = performance.now();
    const r = await run(o.sliceMs);
    if (performance.now() - sliceStart >= o.sliceMs + LONG_SLICE_MS) longSlices++;
    ops += r.ops;
    if (r.latenciesNs) for (const l of r.latenciesNs) latenciesNs.push(l);
    await nextTurn();
    if (o.onPoll && performance.now() >= nextPoll) {
      nextPoll += o.pollMs!;
      if (await o.onPoll(performance.now() - start)) break;
    }
  }
  return { ops, elapsedMs: performance.now() - start, latenciesNs, longSlices };
}
