import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real-memory tests allocate GiB-sized buffers, time collapses and watch sampler threads
    // on a 2-vCPU machine: files run one at a time, each in its own fork, so no test's
    // threads and mappings distort another's measurements.
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
