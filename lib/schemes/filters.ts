// DAMOS filters (Documentation/mm/damon/design.rst, "Filters") this tuner supports: `addr` (core-handled, region level:
// regions straddling a bound are split, rejected bytes are not tried) and `anon` (the
// kernel handles it per folio inside the action; here per mapping, since the tuner knows which
// mappings are anonymous).
/**
 * A DAMOS filter with its defaults filled in.
 *
 * @inline
 */
export interface SchemeFilter {
  type: 'addr' | 'anon';
  /** Whether the filter's test must be true for it to decide. Default true. */
  matching: boolean;
  /** Pass (true) or reject (false) what it decides. Default true. */
  allow: boolean;
  /** `addr` only: [start, end). */
  start?: bigint;
  end?: bigint;
}

/** A filter as the scheme runner applies it to regions, its bounds as numbers (user-space addresses are exact in a double). */
export interface RegionFilter extends Omit<SchemeFilter, 'start' | 'end'> {
  start?: number;
  end?: number;
}

export interface FilterSubject {
  start: number;
  end: number;
  anonymous: boolean;
}

function test(f: RegionFilter, r: FilterSubject): boolean {
  if (f.type === 'anon') return r.anonymous;
  return r.start >= (f.start ?? 0) && r.end <= (f.end ?? Number.MAX_SAFE_INTEGER);
}

/**
 * First filter whose test equals `matching` decides (pass if `allow`); when none decides, the
 * region is rejected iff the last filter is an allow-filter (default-reject), as the kernel does.
 */
export function filtersPass(filters: readonly RegionFilter[], r: FilterSubject): boolean {
  for (const f of filters) if (test(f, r) === f.matching) return f.allow;
  const last = filters.at(-1);
  return !(last?.allow ?? false);
}

/** Cuts [start, end) at the bounds of `addr` filters so that each piece is wholly in or out of each. */
export function splitAtFilterBounds(filters: readonly RegionFilter[], start: number, end: number): [number, number][] {
  const cuts = new Set<number>();
  for (const f of filters) {
    if (f.type !== 'addr') continue;
    for (const b of [f.start, f.end]) if (b !== undefined && b > start && b < end) cuts.add(b);
  }
  const points = [start, ...[...cuts].sort((a, b) => a - b), end];
  return points.slice(1).map((e, i) => [points[i] as number, e]);
}
