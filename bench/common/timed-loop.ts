// Running a workload for a given time: the clock is read once per batch of operations, so its
// cost (about 50 ns per performance.now() here) stays out of operations that take a few
// microseconds or less.

/**
 * Runs `op` until `ms` have passed, reading the clock every `batch` operations; returns how
 * many ran. `op` returns a number derived from what it read (a length, a count, a checksum):
 * if all of them are 0 the workload read nothing, and this throws `nothingRead`.
 */
export function opsFor(ms: number, batch: number, op: () => number, nothingRead: string): number {
  const end = performance.now() + ms;
  let ops = 0;
  let seen = 0;
  do {
    for (let i = 0; i < batch; i++) seen += op();
    ops += batch;
  } while (performance.now() < end);
  if (seen === 0) throw new Error(nothingRead);
  return ops;
}
