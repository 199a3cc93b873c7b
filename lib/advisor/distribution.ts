// The access distribution over 2 MiB units from a recording: per unit, the mean access rate
// of the region holding its middle over the steady part of the recording, turned into an
// expected number of accesses per sampling interval, and the kernel's view of the unit at the end.
// Units are averaged over the snapshots of every monitoring run that held them. A referenced
// recording's rate is a share of pages used within a window instead; its accesses per second
// come from the window length and, where nearly every page was used, from the rate probe
// (rate-probe.ts).
import { InvalidArgumentError } from '../errors.js';
import type { RecordedSnapshot, Recording } from '../record/reader.js';
import { UNIT_BYTES, unitViews } from '../report/units.js';
import { rateProbe, SATURATED_SHARE, type RateProbeSummary } from './rate-probe.js';

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
  /** Whether `weight` is only a lower bound: a referenced recording's unit whose pages were nearly all used in every window, and no rate probe said how often. */
  lowerBound: boolean;
}

export interface AccessDistribution {
  units: UnitAccess[];
  /** Snapshots averaged (after the warm-ups). */
  snapshots: number;
  /** Snapshots left out at the start of each monitoring run (targets line) while DAMON's regions settle, and before a referenced recording's first window closed. */
  warmup: number;
  /**
   * Sampling interval of the averaged snapshots as it was, in ms: the time between consecutive
   * snapshots over their samples (maxNrAccesses). A monitor thread that waits for a CPU
   * stretches its samples beyond the nominal interval (twice it, on this project's VMs under
   * load), and each then saw that much longer of the program; the nominal interval where no
   * two consecutive snapshots were averaged.
   */
  sampleIntervalMs: number;
  /** Recording time (ms) of the first and the last averaged snapshot. */
  steadyMs: [number, number];
  /** A referenced recording's rate probe (the source of its weights); null for other sources. */
  rateProbe: RateProbeSummary | null;
}

/** Mean rates above this are inverted as this: a unit written in (nearly) every sample has a rate that says only "at least so often". */
export const SATURATED_RATE = 0.999;

/** What the recording says of how often the program accessed its monitored memory. */
export interface AccessRate {
  /** Accesses per second of recording time to the monitored memory (writes only, with the pagemap source). */
  perSecond: number;
  /** CPU time per second of recording time the process used over the averaged snapshots (all threads but the recorder's monitor), or null when the recording does not say. */
  cpuShare: number | null;
  /** Bytes of units whose mean rate was saturated: their accesses per second are a lower bound. */
  saturatedBytes: number;
}

/**
 * A referenced unit whose share of used resident pages reaches this is taken as saturated: the
 * window's inversion then says little (0.9 in a 1 s window is 2.3 accesses per page per
 * second, and anything more), and the rate probe's figure is used where there is one.
 */
export const REFERENCED_SATURATION = 0.9;

/** DAMON's regions need a few aggregations to find the edges of the hot set (the tuner waits 10). */
const WARMUP = 10;

/** The access rate `unit` would show when sampled every `sampleIntervalMs`. */
export function rateAt(unit: UnitAccess, sampleIntervalMs: number): number {
  return 1 - Math.exp((-unit.weight * sampleIntervalMs) / 1000);
}

/**
 * Accesses per second to a page of `unit` (its `rate` a share of used pages, over 512 pages)
 * from a referenced recording's windows and rate probe; and whether that is a lower bound.
 */
function referencedWeight(unit: { address: number; rate: number; residentPages: number }, probe: RateProbeSummary): { weight: number; lowerBound: boolean } {
  if (unit.rate <= 0 || unit.residentPages <= 0) return { weight: 0, lowerBound: false };
  const residentShare = unit.residentPages / 512;
  const usedShare = Math.min(unit.rate / residentShare, SATURATED_SHARE);
  const windowHz = (-Math.log(1 - usedShare) * 1000) / probe.windowMs;
  if (usedShare < REFERENCED_SATURATION) return { weight: windowHz * residentShare, lowerBound: false };
  const probed = probe.perUnitHz.get(unit.address) ?? probe.perPageHz;
  if (probed === null) return { weight: windowHz * residentShare, lowerBound: true };
  return { weight: Math.max(probed, windowHz) * residentShare, lowerBound: false };
}

export function accessDistribution(recording: Recording): AccessDistribution {
  const probe = recording.header.source === 'referenced' ? rateProbe(recording) : null;
  if (recording.header.source === 'referenced' && probe === null) {
    throw new InvalidArgumentError(
      'recording',
      "a referenced recording with its windows' lengths (recording format version 2: record it again with this version), or one whose rates count sampling intervals (--source pagemap, or --pid with the kernel's DAMON)",
      `a referenced recording of format version ${recording.header.version}`,
    );
  }
  // A run is one monitor's snapshots: its aggregation count only grows. A new monitor (the
  // kernel DAMON source restarts on new ranges) counts from 1 again and settles anew; new
  // ranges given to a running monitor keep its learnt regions (docs/recording-format.md).
  const runs: RecordedSnapshot[][] = [];
  for (const s of recording.snapshots) {
    const run = runs.at(-1);
    if (run && s.aggregation > run.at(-1)!.aggregation) run.push(s);
    else runs.push([s]);
  }
  const sums = new Map<number, { rate: number; perSecond: number; n: number }>();
  let snapshots = 0;
  let warmup = 0;
  let intervalSum = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  let spanMs = 0;
  let spanSamples = 0;
  const observedFrom = probe?.observedFromMs ?? 0;
  for (const run of runs) {
    const unobserved = run.filter((s) => s.timeMs < observedFrom).length;
    const skip = Math.max(unobserved, run.length > 2 * WARMUP ? WARMUP : Math.floor(run.length / 2));
    warmup += skip;
    let previous: RecordedSnapshot | null = null;
    for (const s of run.slice(skip)) {
      snapshots += 1;
      intervalSum += s.sampleIntervalMs;
      first = Math.min(first, s.timeMs);
      last = Math.max(last, s.timeMs);
      if (previous && s.aggregation === previous.aggregation + 1 && s.timeMs > previous.timeMs) {
        spanMs += s.timeMs - previous.timeMs;
        spanSamples += s.maxNrAccesses;
      }
      previous = s;
      for (const u of unitViews(s)) {
        const sum = sums.get(u.address) ?? { rate: 0, perSecond: 0, n: 0 };
        sum.rate += u.rate;
        sum.perSecond += (-Math.log(1 - Math.min(u.rate, 0.999)) * 1000) / s.sampleIntervalMs;
        sum.n += 1;
        sums.set(u.address, sum);
      }
    }
  }
  const final = recording.snapshots.at(-1);
  if (final === undefined || snapshots === 0) throw new InvalidArgumentError('recording', 'a recording with snapshots', `${recording.snapshots.length} snapshots`);
  // The memory as it was at the end: the last snapshot's targets and residency.
  const units = unitViews(final).map((u) => {
    const sum = sums.get(u.address);
    const unit = { address: u.address, rate: sum ? sum.rate / sum.n : 0, weight: sum ? sum.perSecond / sum.n : 0, residentPages: u.residentPages ?? 512, huge: u.huge, lowerBound: false };
    return probe ? { ...unit, ...referencedWeight(unit, probe) } : unit;
  });
  const sampleIntervalMs = spanSamples > 0 ? spanMs / spanSamples : intervalSum / snapshots;
  return { units, snapshots, warmup, sampleIntervalMs, steadyMs: [first, last], rateProbe: probe };
}

/**
 * Accesses per second to the monitored memory: per unit, its mean access rate inverted as a
 * Poisson stream's, -ln(1 - rate) / sampling interval accesses per second to each of its
 * pages, times its 512 pages. The mean rate over the snapshots is inverted, not each
 * snapshot's: a region's rate in one aggregation is a count out of maxNrAccesses samples, and
 * inverting such counts one by one overstates the rate (the logarithm is convex, and a full
 * count inverts to the cap). The CPU share comes from the residency lines' cpuMs over the
 * averaged snapshots' span (or the whole recording when fewer than two fall in it).
 */
export function accessRate(recording: Recording, dist: AccessDistribution): AccessRate {
  const pagesPerUnit = UNIT_BYTES / recording.header.host.pageBytes;
  let perSecond = 0;
  let saturatedBytes = 0;
  for (const u of dist.units) {
    if (u.rate <= 0) continue;
    if (dist.rateProbe) {
      // A referenced recording's weights are accesses per second per page already (referencedWeight).
      if (u.lowerBound) saturatedBytes += UNIT_BYTES;
      perSecond += pagesPerUnit * u.weight;
      continue;
    }
    if (u.rate >= SATURATED_RATE) saturatedBytes += UNIT_BYTES;
    perSecond += (pagesPerUnit * -Math.log(1 - Math.min(u.rate, SATURATED_RATE)) * 1000) / dist.sampleIntervalMs;
  }
  const withCpu = recording.residency.filter((r) => r.cpuMs !== undefined);
  const inSpan = withCpu.filter((r) => r.timeMs >= dist.steadyMs[0] && r.timeMs <= dist.steadyMs[1]);
  const span = inSpan.length >= 2 ? inSpan : withCpu;
  const a = span[0];
  const b = span.at(-1);
  // The program's own CPU: the process's, less the recorder's monitor thread when it sampled from inside the process.
  const programMs = (r: (typeof span)[number]) => r.cpuMs! - (r.monitorCpuMs ?? 0);
  const share = a && b && b.timeMs > a.timeMs ? (programMs(b) - programMs(a)) / (b.timeMs - a.timeMs) : 0;
  return { perSecond, cpuShare: share > 0 ? share : null, saturatedBytes };
}
