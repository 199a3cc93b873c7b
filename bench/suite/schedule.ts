// Runs the suite's child processes: one at a time in the order given (a measurement, where
// two processes would share the machine's two cores), or, for a smoke test whose numbers do
// not matter, several at once. The THP setting is machine-wide, so a task that needs it
// switched always runs alone, before the others.
export interface Task {
  /** Whether it needs the machine-wide THP setting switched (it then runs alone). */
  exclusive: boolean;
  run(): Promise<void>;
}

export async function runTasks(tasks: readonly Task[], jobs: number): Promise<void> {
  if (jobs <= 1) {
    for (const t of tasks) await t.run();
    return;
  }
  for (const t of tasks.filter((x) => x.exclusive)) await t.run();
  const shared = tasks.filter((x) => !x.exclusive);
  let next = 0;
  const worker = async () => {
    while (next < shared.length) await shared[next++]!.run();
  };
  await Promise.all(Array.from({ length: Math.min(jobs, shared.length) }, worker));
}
