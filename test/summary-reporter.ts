// Prints one plain closing line, "tests: N passed, N failed, N skipped", after vitest's own
// summary, so tools that read a run's last lines (CI's no-test check) see the counts.
import type { Reporter, RunnerTestFile, RunnerTask } from 'vitest';

function count(tasks: readonly RunnerTask[], totals: { passed: number; failed: number; skipped: number }): void {
  for (const task of tasks) {
    if (task.type === 'suite') {
      count(task.tasks, totals);
      if (task.result?.state === 'fail' && task.tasks.every((t) => t.result?.state !== 'fail')) totals.failed += 1; // a failing hook
    } else if (task.mode === 'skip' || task.mode === 'todo' || task.result?.state === 'skip') totals.skipped += 1;
    else if (task.result?.state === 'pass') totals.passed += 1;
    else totals.failed += 1;
  }
}

export default class SummaryLineReporter implements Reporter {
  onFinished(files: RunnerTestFile[] = [], errors: unknown[] = []): void {
    const totals = { passed: 0, failed: 0, skipped: 0 };
    count(files, totals);
    totals.failed += errors.length;
    process.stdout.write(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
  }
}
