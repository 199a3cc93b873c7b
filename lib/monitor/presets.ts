// Named attribute sets for common uses of AccessMonitor.
import type { MonitorAttributes } from './options.js';

/**
 * Attributes for the `pagemap` source on a live program, with a bounded cost to it.
 *
 * Every sampled page the program writes costs it one write-protect fault (about 3 to 6 us of
 * its CPU in this VM, bench/pagemap-overhead), so its cost is at most
 * regions x samples per second x that: here at most 100 x 50 x ~4 us = 2% of one core, and
 * less where sampled pages are not written. DAMON's own defaults (5 ms, up to 1000 regions,
 * which the monitor keeps as its defaults) would allow 200,000 faults a second. Interval
 * auto-tuning with DAMON's recommended goal (4% of possible access events, tuned every 3
 * aggregations) still lengthens the interval when little is written; its floor is raised
 * from DAMON's 5 ms to 20 ms. A deliberate difference for this source, documented in the
 * README.
 */
export const pagemapLowOverhead: Readonly<MonitorAttributes> = Object.freeze({
  sampleInterval: '20ms',
  aggregationInterval: '400ms',
  maxRegions: 100,
  intervalsGoal: Object.freeze({ accessBp: 400, aggregations: 3, minSampleInterval: '20ms', maxSampleInterval: '10s' }),
});
