// Scheme statistics (Documentation/mm/damon/design.rst, "Statistics" and the RFC module's nr/bytes tried and applied and
// nr_quota_exceeds) plus per-unit outcomes of collapse, which the kernel does not keep.

/** Why a 2 MiB unit was or was not collapsed. */
export type UnitOutcome =
  | 'collapsed'
  | 'already-huge'
  | 'EAGAIN'
  | 'ENOMEM'
  | 'EBUSY'
  | 'EINVAL'
  | 'not-mapped'
  | 'failed'
  | 'skipped-bloat'
  | 'skipped-churn'
  | 'skipped-refused'
  /** Its collapse failed for a passing reason (EAGAIN, ENOMEM, EBUSY) twice or more in a row and its back-off has not run out. */
  | 'skipped-retry'
  /** Its probe saw no page written (or accessed, sim) since the previous probe: cold memory of a hot region. */
  | 'skipped-cold'
  /** Not verified yet: its first probe only opened the window the next one reads (or it cannot be probed), or (referenced) no window observed it and its region is not known to be uniformly hot. */
  | 'skipped-unprobed';
export const UNIT_OUTCOMES: readonly UnitOutcome[] = [
  'collapsed',
  'already-huge',
  'EAGAIN',
  'ENOMEM',
  'EBUSY',
  'EINVAL',
  'not-mapped',
  'failed',
  'skipped-bloat',
  'skipped-churn',
  'skipped-refused',
  'skipped-retry',
  'skipped-cold',
  'skipped-unprobed',
];

export interface TriedRegion {
  /** [start, end): a range the memory API and the sources' probe() take as it is. */
  start: bigint;
  end: bigint;
  nrAccesses: number;
  age: number;
  score: number;
  /** Bytes charged to the quota for it. */
  triedBytes: number;
  appliedBytes: number;
}

export interface SchemeStats {
  nrTried: number;
  bytesTried: number;
  nrApplied: number;
  bytesApplied: number;
  quotaExceeds: number;
  /** Per-unit outcomes since start. */
  units: Record<UnitOutcome, number>;
  /** Zero-filled bytes collapse added (absent pages of collapsed units). */
  addedBytes: number;
  /** Action time since start, ms. */
  actionMs: number;
}

export function emptyStats(): SchemeStats {
  return {
    nrTried: 0,
    bytesTried: 0,
    nrApplied: 0,
    bytesApplied: 0,
    quotaExceeds: 0,
    units: Object.fromEntries(UNIT_OUTCOMES.map((o) => [o, 0])) as Record<UnitOutcome, number>,
    addedBytes: 0,
    actionMs: 0,
  };
}

/** damos_update_stat: a try of `tried` bytes of which `applied` took effect. */
export function recordTry(s: SchemeStats, tried: number, applied: number): void {
  s.nrTried += 1;
  s.bytesTried += tried;
  if (applied > 0) {
    s.nrApplied += 1;
    s.bytesApplied += applied;
  }
}
