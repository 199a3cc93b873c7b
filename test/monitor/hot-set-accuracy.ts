// Scores a snapshot against a known hot set. Accuracy as the monitor's tests measure it: a 2 MiB unit
// counts as found when at least half of it lies in regions whose nr_accesses is above the
// median nr_accesses of all regions (recall over hot units); precision is the share of the
// bytes so marked that lie in hot units.
import type { MonitorSnapshot } from '../../lib/index.js';

export const UNIT = 2 ** 21;

export interface Accuracy {
  recall: number;
  precision: number;
  median: number;
}

export function scoreHotSet(s: MonitorSnapshot, hotUnits: Set<number>, base: number): Accuracy {
  const counts = s.regions.map((r) => r.nrAccesses).sort((a, b) => a - b);
  const median = counts[Math.floor((counts.length - 1) / 2)] ?? 0;
  const marked = new Map<number, number>(); // unit index -> marked bytes in it
  let markedBytes = 0;
  let markedHotBytes = 0;
  for (const r of s.regions) {
    if (r.nrAccesses <= median) continue;
    markedBytes += r.end - r.start;
    for (let u = Math.floor((r.start - base) / UNIT); base + u * UNIT < r.end; u++) {
      const lo = Math.max(r.start, base + u * UNIT);
      const hi = Math.min(r.end, base + (u + 1) * UNIT);
      marked.set(u, (marked.get(u) ?? 0) + (hi - lo));
      if (hotUnits.has(u)) markedHotBytes += hi - lo;
    }
  }
  let found = 0;
  for (const u of hotUnits) if ((marked.get(u) ?? 0) >= UNIT / 2) found++;
  return { recall: found / hotUnits.size, precision: markedBytes === 0 ? 0 : markedHotBytes / markedBytes, median };
}

/** Unit indexes covered by clusters [firstUnit, firstUnit + count). */
export function unitsOf(clusters: [number, number][]): Set<number> {
  const out = new Set<number>();
  for (const [first, count] of clusters) for (let u = first; u < first + count; u++) out.add(u);
  return out;
}

export function rangesOf(clusters: [number, number][], base: number): { start: number; end: number }[] {
  return clusters.map(([first, count]) => ({ start: base + first * UNIT, end: base + (first + count) * UNIT }));
}
