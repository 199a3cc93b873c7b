// Named attribute sets for common uses of AccessMonitor.
import type { MonitorAttributes } from './options.js';

/**
 * Attributes for the `pagemap` source on a live program, with a bounded cost to it.
 *
 * Each sample write-protects one page per region. The program pays for that twice: a
 * TLB-shootdown interrupt when the page is protected while it runs on another CPU, and a
 * write-protect fault if it writes the page (10 to 16 us of its CPU per fault with the
 * interrupts counted, bench/pagemap-overhead). Both scale with regions x samples per
 * second: DAMON's defaults (5 ms, up to 1000 regions, which AccessMonitor keeps as its
 * defaults) allow 200,000 a second, and DAMON's recommended
 * interval goal (4% of possible access events) keeps the interval at its 5 ms floor under
 * heavy writes. Here: up to 50 regions sampled every 50 ms at the fastest, at most 1,000
 * protections a second; auto-tuning (DAMON's recommended goal, tuned every 3 aggregations)
 * lengthens the interval when little is written. The 50 ms floor instead of DAMON's 5 ms is
 * a deliberate difference for this source, documented in docs/monitor.md; the same values are
 * the tuner's recommended monitoring settings for a Node service.
 */
export const pagemapLowOverhead: Readonly<MonitorAttributes> = Object.freeze({
  sampleInterval: '50ms',
  aggregationInterval: '1s',
  maxRegions: 50,
  intervalsGoal: Object.freeze({ access: '4%', aggregations: 3, minSampleInterval: '50ms', maxSampleInterval: '10s' }),
});
