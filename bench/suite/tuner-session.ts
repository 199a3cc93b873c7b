// A configuration's HugepageTuner inside the child: started after the workload's setup, read
// through stats() only (its public figures), and the settings the measurement needs to know:
// how long the tuner waits before acting, and what its quota allows per window.
import { normalizeTunerOptions, type NormalizedTunerOptions } from '../../lib/config/options.js';
import type { TunerOptions } from '../../lib/config/index.js';
import { HugepageTuner } from '../../lib/tuner/index.js';
import type { TunerPace } from './converge.js';
import type { TunerFigures } from './protocol.js';

export class TunerSession {
  readonly tuner: HugepageTuner;
  readonly settings: NormalizedTunerOptions;
  readonly errors: string[] = [];

  constructor(options: TunerOptions) {
    this.settings = normalizeTunerOptions(options);
    this.tuner = new HugepageTuner(options);
    // Errors are figures of the run (the page lists them), not reasons to stop measuring.
    this.tuner.on('error', (e) => {
      if (this.errors.length < 20) this.errors.push(e.message);
      process.stderr.write(`tuner error: ${e.message}\n`);
    });
    this.tuner.start();
  }

  /** Time before the tuner can act at all (its warm-up aggregations and one more for the first probe window), and its aggregation interval. */
  get pace(): TunerPace {
    const aggregationMs = this.settings.monitoring.aggregationIntervalMs;
    return { warmupMs: (this.settings.warmupAggregations + 1) * aggregationMs, aggregationMs, collapsedUnits: () => this.progress().collapsedUnits };
  }

  /** Units collapsed and action time so far, over every collapse scheme. */
  progress(): { collapsedUnits: number; actionMs: number } {
    let collapsedUnits = 0;
    let actionMs = 0;
    for (const s of this.tuner.stats().schemes) {
      collapsedUnits += s.stats.units.collapsed;
      actionMs += s.stats.actionMs;
    }
    return { collapsedUnits, actionMs };
  }

  /**
   * How long the first collapse scheme's quota alone needs to collapse `units` at `msPerUnit`
   * each: its action time per window and its bytes per window, whichever binds. Null when it
   * has no time quota (nothing bounds it but the work itself).
   */
  quotaLimitedMs(units: number, msPerUnit: number): number | null {
    const scheme = this.settings.schemes.find((s) => s.action === 'collapse');
    if (!scheme || scheme.quota.ms === 0 || !(msPerUnit > 0)) return null;
    const byTime = (units * msPerUnit) / scheme.quota.ms;
    const bySize = scheme.quota.sz > 0 ? (units * 2 ** 21) / scheme.quota.sz : 0;
    return Math.max(byTime, bySize) * scheme.quota.resetIntervalMs;
  }

  figures(): TunerFigures {
    const stats = this.tuner.stats();
    const outcomes: Record<string, number> = {};
    let addedBytes = 0;
    for (const s of stats.schemes) {
      addedBytes += s.stats.addedBytes;
      for (const [outcome, n] of Object.entries(s.stats.units)) if (n > 0) outcomes[outcome] = (outcomes[outcome] ?? 0) + n;
    }
    return {
      ...this.progress(),
      addedBytes,
      outcomes,
      aggregations: stats.aggregations,
      eligibleBytes: stats.eligibility.eligibleAnonymousBytes,
      ineligibleBytes: stats.eligibility.ineligibleAnonymousBytes,
      churnSplits: stats.eligibility.churnSplits,
      errors: [...this.errors, ...(stats.lastError && !this.errors.includes(stats.lastError.message) ? [stats.lastError.message] : [])],
    };
  }

  stop(): Promise<void> {
    return this.tuner.stop();
  }
}
