// Running a workload for a given time: the clock is read once per batch of operations, so its
// cost (about 50 ns per performance.now() here) stays out of operations that take well under a
// microsecond.

/** Calls `batch` (which runs some operations and returns how many) until `ms` have passed; returns the total. */
export function opsFor(ms: number, batch: () => number): number {
  const end = performance.now() + ms;
  let ops = 0;
  do ops += batch();
  while (performance.now() < end);
  return ops;
}
