// The phase between setup and measurement. Every configuration warms up for the same time;
// a tuner is then given, on a workload it can help, until its hot set is on 2 MiB pages and
// it has collapsed nothing more for the stall time (or its progress stopped, or a cap), so
// that the measurement compares what each configuration reaches, not a tuner still working
// through memory beyond the hot set the workload declares (a read-heavy package reads all of
// its data, and a source that sees reads finds all of it used); the time until the hot set
// was huge is a figure of its own. Progress is the share of the hot set on 2 MiB pages where the workload says
// where that is, and the process's AnonHugePages otherwise.
import { hugeUnits, memoryFigures } from './probes.js';
import { runSliced } from './sliced-run.js';
import type { Timing } from './protocol.js';
import type { Workload } from './workload.js';

/** A hot set counts as huge from this share of its 2 MiB units on. */
export const HUGE_SHARE = 0.95;

export interface Converged {
  ms: number;
  end: 'warmup' | 'huge' | 'stalled' | 'cap';
  timeToHugeMs: number | null;
}

/** Progress as one number that grows as the tuner works, and whether the hot set counts as huge. */
async function progress(w: Workload): Promise<{ value: number; huge: boolean }> {
  const ranges = w.hotRanges?.() ?? [];
  if (ranges.length === 0) return { value: (await memoryFigures()).anonHugeBytes, huge: false };
  const { units, huge } = await hugeUnits(ranges);
  return { value: huge, huge: units > 0 && huge >= HUGE_SHARE * units };
}

/** How the tuner's pace bounds the wait: nothing before warmupMs, and at most one action per aggregation. */
export interface TunerPace {
  warmupMs: number;
  aggregationMs: number;
  /** Units the tuner collapsed so far: the wait ends only once this stopped growing. */
  collapsedUnits(): number;
}

/** @param tuner null: no tuner (warm up only). */
export async function converge(w: Workload, timing: Timing, tuner: TunerPace | null): Promise<Converged> {
  const warmupMs = w.longWarmup ? Math.max(timing.warmupMs, timing.longWarmupMs) : timing.warmupMs;
  // Where huge pages cannot help, there is nothing to converge to: a tuner is measured after the
  // same warm-up as every other configuration (on a workload that keeps getting faster as it
  // runs, a longer wait alone would look like a gain).
  const tunerWarmupMs = tuner === null || !w.tunerCanHelp ? null : Math.max(tuner.warmupMs, warmupMs);
  const stallMs = tuner === null ? Infinity : Math.max(timing.stallMs, 3 * tuner.aggregationMs);
  // Before its first progress a tuner is still finding the hot set: where it can help, it gets
  // that many aggregations before it counts as stalled.
  const firstProgressMs = tuner === null || !w.tunerCanHelp ? stallMs : Math.max(stallMs, timing.firstProgressAggregations * tuner.aggregationMs);
  let timeToHugeMs: number | null = null;
  let end: Converged['end'] = tunerWarmupMs === null ? 'warmup' : 'cap';
  let best = -1;
  let grewAt = 0;
  let grew = false;
  let collapsed = tuner?.collapsedUnits() ?? 0;
  let collapsedAt = 0;
  const first = await progress(w);
  if (first.huge) timeToHugeMs = 0;
  best = first.value;
  const r = await runSliced((ms) => w.run(ms), {
    durationMs: tunerWarmupMs === null ? warmupMs : timing.convergeCapMs,
    sliceMs: timing.sliceMs,
    pollMs: timing.pollMs,
    onPoll: async (elapsed) => {
      const p = await progress(w);
      if (p.huge && timeToHugeMs === null) timeToHugeMs = elapsed;
      if (p.value > best) {
        best = p.value;
        grewAt = elapsed;
        grew = true;
      }
      const collapsedNow = tuner?.collapsedUnits() ?? 0;
      if (collapsedNow > collapsed) {
        // A tuner still collapsing is progressing, whatever the hot set's share says.
        collapsed = collapsedNow;
        collapsedAt = elapsed;
        grewAt = elapsed;
        grew = true;
      }
      if (tunerWarmupMs === null || elapsed < warmupMs) return false;
      const patience = grew ? stallMs : firstProgressMs;
      if (p.huge && elapsed - collapsedAt >= stallMs) end = 'huge';
      else if (elapsed >= tunerWarmupMs + patience && elapsed - grewAt >= patience) end = 'stalled';
      return end !== 'cap';
    },
  });
  return { ms: r.elapsedMs, end, timeToHugeMs };
}
