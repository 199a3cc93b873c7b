// The access distribution over 2 MiB units from a recording: per unit, the mean access rate
// of the region holding its middle over the steady part of the recording, turned into an
// expected number of accesses per sampling interval, and the kernel's view of the unit at the end.
// Units are averaged over the snapshots of every monitoring run that held them.
import { InvalidArgumentError } from '../errors.js';
import type { RecordedSnapshot, Recording } from '../record/reader.js';
import { unitViews } from '../report/units.js';

export interface UnitAccess {
  address: number;
  /** Mean access rate (share of samples that saw the unit's region accessed, at the recording's sampling interval), 0..1. */
  rate: number;
  /**
   * Accesses per second to a page of the unit: the mean of -ln(1 - rate) / sampling interval,
   * the rate at which a Poisson stream touching a page with probability `rate` per interval
   * arrives (a rate near 1 saturates, so it is capped at 0.999). Proportional to how often the
   * unit is accessed, which the rate is not, and comparable across sampling intervals.
   */
  weight: number;
  residentPages: number;
  huge: boolean;
}

export interface AccessDistribution {
  units: UnitAccess[];
  /** Snapshots averaged (after the warm-ups). */
  snapshots: number;
  /** Snapshots left out at the start of each monitoring run (targets line) while DAMON's regions settle. */
  warmup: number;
}

/** DAMON's regions need a few aggregations to find the edges of the hot set (the tuner waits 10). */
const WARMUP = 10;

/** The access rate `unit` would show when sampled every `sampleIntervalUs`. */
export function rateAt(unit: UnitAccess, sampleIntervalUs: number): number {
  return 1 - Math.exp((-unit.weight * sampleIntervalUs) / 1e6);
}

export function accessDistribution(recording: Recording): AccessDistribution {
  // Monitoring restarts when the mappings change (a targets line); each run settles anew.
  const runs = new Map<unknown, RecordedSnapshot[]>();
  for (const s of recording.snapshots) runs.set(s.targets, [...(runs.get(s.targets) ?? []), s]);
  const sums = new Map<number, { rate: number; perSecond: number; n: number }>();
  let snapshots = 0;
  let warmup = 0;
  for (const run of runs.values()) {
    const skip = run.length > 2 * WARMUP ? WARMUP : Math.floor(run.length / 2);
    warmup += skip;
    for (const s of run.slice(skip)) {
      snapshots += 1;
      for (const u of unitViews(s)) {
        const sum = sums.get(u.address) ?? { rate: 0, perSecond: 0, n: 0 };
        sum.rate += u.rate;
        sum.perSecond += (-Math.log(1 - Math.min(u.rate, 0.999)) * 1000) / s.sampleIntervalMs;
        sum.n += 1;
        sums.set(u.address, sum);
      }
    }
  }
  const last = recording.snapshots.at(-1);
  if (last === undefined || snapshots === 0) throw new InvalidArgumentError('recording', 'a recording with snapshots', `${recording.snapshots.length} snapshots`);
  // The memory as it was at the end: the last snapshot's targets and residency.
  const units = unitViews(last).map((u) => {
    const sum = sums.get(u.address);
    return { address: u.address, rate: sum ? sum.rate / sum.n : 0, weight: sum ? sum.perSecond / sum.n : 0, residentPages: u.residentPages ?? 512, huge: u.huge };
  });
  return { units, snapshots, warmup };
}
