import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real-memory tests allocate GiB-sized buffers and time out generously; files run in
    // separate forks so one test's mappings never distort another's measurements.
    pool: 'forks',
    poolOptions: { forks: { singleFork: false, maxForks: 2 } },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
