// The measured phase of a phase-change workload: the hot set moves `moves` times, and each
// phase runs for the same time whether or not anything reacts, so that throughput compares
// across configurations. Per move: how long until the new hot set was on 2 MiB pages, when the
// tuner first collapsed, and what its quota alone would have needed for the units to collapse
// (the target: within 1.5 times that).
import { HUGE_SHARE } from './converge.js';
import { hugeUnits } from './probes.js';
import type { PhaseFigures, Timing } from './protocol.js';
import { runSliced, type SlicedResult } from './sliced-run.js';
import type { TunerSession } from './tuner-session.js';
import type { Workload } from './workload.js';

export async function measurePhases(w: Workload, timing: Timing, session: TunerSession | null): Promise<{ run: SlicedResult; phases: PhaseFigures[] }> {
  const total: SlicedResult = { ops: 0, elapsedMs: 0, latenciesNs: [], longSlices: 0 };
  const phases: PhaseFigures[] = [];
  for (let move = 0; move < timing.phase.moves; move++) {
    w.moveHotSet!();
    const ranges = w.hotRanges?.() ?? [];
    const at = await hugeUnits(ranges);
    const before = session?.progress() ?? { collapsedUnits: 0, actionMs: 0 };
    let timeToHugeMs: number | null = at.units > 0 && at.huge >= HUGE_SHARE * at.units ? 0 : null;
    let firstCollapseMs: number | null = null;
    const r = await runSliced((ms) => w.run(ms), {
      durationMs: timing.phase.phaseMs,
      sliceMs: timing.sliceMs,
      pollMs: Math.min(timing.pollMs, 250),
      onPoll: async (elapsed) => {
        if (session && firstCollapseMs === null && session.progress().collapsedUnits > before.collapsedUnits) firstCollapseMs = elapsed;
        if (timeToHugeMs === null) {
          const now = await hugeUnits(ranges);
          if (now.huge >= HUGE_SHARE * now.units) timeToHugeMs = elapsed;
        }
        return false;
      },
    });
    total.ops += r.ops;
    total.elapsedMs += r.elapsedMs;
    total.longSlices += r.longSlices;
    for (const l of r.latenciesNs) total.latenciesNs.push(l);
    const after = session?.progress() ?? before;
    const collapsedUnits = after.collapsedUnits - before.collapsedUnits;
    const actionMs = after.actionMs - before.actionMs;
    // The cost per unit of this phase's collapses, or of all since the tuner started when this phase had none.
    const msPerUnit = collapsedUnits > 0 ? actionMs / collapsedUnits : after.collapsedUnits > 0 ? after.actionMs / after.collapsedUnits : NaN;
    const unitsToCollapse = at.units - at.huge;
    phases.push({
      hotUnits: at.units,
      unitsToCollapse,
      timeToHugeMs,
      firstCollapseMs,
      collapsedUnits,
      actionMs,
      quotaLimitedMs: session ? session.quotaLimitedMs(unitsToCollapse, msPerUnit) : null,
    });
  }
  return { run: total, phases };
}
