// Access rates per page from a referenced recording. The referenced source's windows (about a
// second) say which share of a cell's pages was used, which inverts to a rate only while some
// pages stay unused: a page used ~100 times a second and one used 5 times both read as used.
// Its rate probe (docs/sources.md, "Rate probe") arms mostly-used cells for a few ms; in such a
// window a page used as a Poisson stream at rate λ was used with probability 1 - exp(-λ w), so
// λ = -ln(1 - share) / w. Setting an armed page's Accessed bit again cost the program
// `accessBitNs` per page (a trap to the hypervisor in a VM), time in which it used nothing else,
// so w counts without it; windows it took half of or more are left out.
import type { Recording } from '../record/reader.js';
import { UNIT_BYTES } from '../report/units.js';
import { median } from './stats.js';

/** Shares of used pages above this are taken as this: a window in which every page was used says only "at least so often". */
export const SATURATED_SHARE = 0.999;

export interface RateProbeSummary {
  /** The source's window length (median over the recording), in ms: the span a snapshot's share of used pages covers. */
  windowMs: number;
  /** Recording time (ms) of the first rates line with a window length: the source answers "not used" until its first window closes, so snapshots before then say nothing yet. */
  observedFromMs: number;
  /** Rate windows recorded, and those whose rate counted (the rest lost half their time or more to Accessed-bit updates). */
  samples: number;
  used: number;
  /** Accesses per second to one resident page of the probed cells: the mean over the counted samples; null when none counted. */
  perPageHz: number | null;
  /** The same per 2 MiB unit the probed cells covered, by unit address. */
  perUnitHz: Map<number, number>;
}

/** λ of one rate window, or null when Accessed-bit updates took half of it or more. */
export function sampleRate(residentBytes: number, referencedBytes: number, windowMs: number, accessBitNs: number): number | null {
  if (!(residentBytes > 0) || !(windowMs > 0)) return null;
  const share = Math.min(referencedBytes / residentBytes, SATURATED_SHARE);
  const effectiveMs = windowMs - ((referencedBytes / 4096) * accessBitNs) / 1e6;
  if (effectiveMs < windowMs / 2) return null;
  return (-Math.log(1 - share) * 1000) / effectiveMs;
}

/** The rate probe of a referenced recording; null when it has none (recorded before format version 2). */
export function rateProbe(recording: Recording): RateProbeSummary | null {
  const closed = recording.rates.filter((r) => r.windowMs > 0);
  if (closed.length === 0) return null;
  const sums = new Map<number, { sum: number; n: number }>();
  let samples = 0;
  let used = 0;
  let total = 0;
  for (const line of recording.rates) {
    for (const [start, end, resident, referenced, windowMs, accessBitNs] of line.samples) {
      samples += 1;
      const hz = sampleRate(resident, referenced, windowMs, accessBitNs);
      if (hz === null) continue;
      used += 1;
      total += hz;
      for (let unit = Number(start); unit < Number(end); unit += UNIT_BYTES) {
        const s = sums.get(unit) ?? { sum: 0, n: 0 };
        s.sum += hz;
        s.n += 1;
        sums.set(unit, s);
      }
    }
  }
  return {
    windowMs: median(closed.map((r) => r.windowMs)),
    observedFromMs: closed[0]!.timeMs,
    samples,
    used,
    perPageHz: used > 0 ? total / used : null,
    perUnitHz: new Map([...sums].map(([unit, s]) => [unit, s.sum / s.n])),
  };
}
