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

/** A child's run of the moving hot set (test/monitor/fixtures/hot-set.cjs). */
export interface HotSetRun {
  snapshots: { phase: number; regions: [number, number, number][] }[];
  phases: [number, number][][];
}

export const metTargets = (a: Accuracy): boolean => a.recall >= 0.9 && a.precision >= 0.8;

/**
 * Scores the first 10 snapshots against the first hot set and the next 20 against the moved
 * one; `summary` says where the targets were first met.
 */
export function scoreHotSetRun(run: HotSetRun): { before: Accuracy[]; after: Accuracy[]; summary: string } {
  const score = (s: HotSetRun['snapshots'][0], phase: number): Accuracy =>
    scoreHotSet(
      { regions: s.regions.map(([start, end, nrAccesses]) => ({ target: 0, start, end, nrAccesses, nrAccessesBp: 0, age: 0 })) } as unknown as MonitorSnapshot,
      unitsOf(run.phases[phase]!),
      0,
    );
  const before = run.snapshots.slice(0, 10).map((s) => score(s, 0));
  const after = run.snapshots.slice(10, 30).map((s) => score(s, 1));
  const summary =
    `at 10 recall ${before.at(-1)!.recall.toFixed(3)} precision ${before.at(-1)!.precision.toFixed(3)} ` +
    `(first met at ${1 + before.findIndex(metTargets)}); 20 after the move recall ${after.at(-1)!.recall.toFixed(3)} ` +
    `precision ${after.at(-1)!.precision.toFixed(3)} (first met at ${1 + after.findIndex(metTargets)})`;
  return { before, after, summary };
}
