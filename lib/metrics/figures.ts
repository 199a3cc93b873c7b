// What the metrics adapters (./prometheus.ts, ./otel.ts) report about a HugepageTuner: one
// table of metrics, each with its kind, unit and labels, read from one snapshot of figures per
// scrape. Each adapter only spells the names its ecosystem expects.
import { hugepageUsage } from '../procfs/index.js';
import { UNIT_BYTES } from '../tuner/backend.js';
import type { HugepageTuner, QuotaReport } from '../tuner/index.js';
import type { MonitorSnapshot } from '../monitor/snapshot.js';
import type { UnitOutcome } from '../schemes/stats.js';

export interface TunerFigures {
  running: boolean;
  /** The target's anonymous memory and its part on huge pages (null: the target could not be read). */
  usage: { anonymousBytes: number; anonHugeBytes: number } | null;
  eligibleBytes: number;
  ineligibleBytes: number;
  /** Regions of the last snapshot. */
  regions: number;
  aggregations: number;
  /** CPU time of the sampler thread(s), added up over monitor restarts. */
  samplerCpuSeconds: number;
  schemes: Array<{
    /** Last goal score as a fraction (1 = met), null before the first window or without goals. */
    goalScore: number | null;
    effectiveQuotaBytes: number;
    triedBytes: number;
    collapsedBytes: number;
    addedBytes: number;
    actionSeconds: number;
    quotaExceeds: number;
    units: Record<UnitOutcome, number>;
  }>;
}

export type MetricKind = 'gauge' | 'counter';
export type MetricUnit = 'bytes' | 'seconds' | 'ratio' | 'none';

export interface MetricSample {
  labels: Record<string, string>;
  value: number;
}

export interface TunerMetric {
  /** Base name without prefix, unit or `_total`: `collapsed` becomes `thp_autotune_collapsed_bytes_total`. */
  name: string;
  help: string;
  kind: MetricKind;
  unit: MetricUnit;
  labelNames: readonly string[];
  samples(f: TunerFigures): MetricSample[];
}

const one = (value: number | null | undefined): MetricSample[] => (value === null || value === undefined ? [] : [{ labels: {}, value }]);
const perScheme = (f: TunerFigures, pick: (s: TunerFigures['schemes'][number]) => number | null): MetricSample[] =>
  f.schemes.flatMap((s, i) => {
    const value = pick(s);
    return value === null ? [] : [{ labels: { scheme: String(i) }, value }];
  });

/** Every metric a tuner exports (docs/metrics.md). */
export const TUNER_METRICS: readonly TunerMetric[] = [
  { name: 'running', help: 'Whether the tuner is running (1) or stopped (0).', kind: 'gauge', unit: 'none', labelNames: [], samples: (f) => one(f.running ? 1 : 0) },
  { name: 'anonymous', help: 'Resident anonymous memory of the tuned process.', kind: 'gauge', unit: 'bytes', labelNames: [], samples: (f) => one(f.usage?.anonymousBytes) },
  {
    name: 'anon_huge',
    help: 'Anonymous memory of the tuned process on 2 MiB transparent huge pages (AnonHugePages).',
    kind: 'gauge',
    unit: 'bytes',
    labelNames: [],
    samples: (f) => one(f.usage?.anonHugeBytes),
  },
  {
    name: 'huge',
    help: "Share of the tuned process's anonymous memory on huge pages (the kernel RFC's goal metric, as a fraction).",
    kind: 'gauge',
    unit: 'ratio',
    labelNames: [],
    samples: (f) => one(f.usage === null ? null : f.usage.anonymousBytes > 0 ? f.usage.anonHugeBytes / f.usage.anonymousBytes : 0),
  },
  { name: 'eligible', help: 'Anonymous memory in mappings that can hold huge pages.', kind: 'gauge', unit: 'bytes', labelNames: [], samples: (f) => one(f.eligibleBytes) },
  { name: 'ineligible', help: 'Anonymous memory in mappings that cannot hold huge pages.', kind: 'gauge', unit: 'bytes', labelNames: [], samples: (f) => one(f.ineligibleBytes) },
  { name: 'regions', help: 'Monitoring regions in the last snapshot.', kind: 'gauge', unit: 'none', labelNames: [], samples: (f) => one(f.regions) },
  { name: 'aggregations', help: 'Monitor snapshots the tuner has processed.', kind: 'counter', unit: 'none', labelNames: [], samples: (f) => one(f.aggregations) },
  { name: 'sampler_cpu', help: 'CPU time used by the sampling thread.', kind: 'counter', unit: 'seconds', labelNames: [], samples: (f) => one(f.samplerCpuSeconds) },
  {
    name: 'goal_score',
    help: 'Goal score of the last quota window as a fraction (1 = goal met).',
    kind: 'gauge',
    unit: 'ratio',
    labelNames: ['scheme'],
    samples: (f) => perScheme(f, (s) => s.goalScore),
  },
  { name: 'effective_quota', help: 'Effective size quota of the current window.', kind: 'gauge', unit: 'bytes', labelNames: ['scheme'], samples: (f) => perScheme(f, (s) => s.effectiveQuotaBytes) },
  { name: 'tried', help: 'Bytes of the regions the scheme was tried on.', kind: 'counter', unit: 'bytes', labelNames: ['scheme'], samples: (f) => perScheme(f, (s) => s.triedBytes) },
  { name: 'collapsed', help: 'Bytes collapsed into huge pages.', kind: 'counter', unit: 'bytes', labelNames: ['scheme'], samples: (f) => perScheme(f, (s) => s.collapsedBytes) },
  { name: 'added', help: 'Zero-filled bytes that collapses added (bloat).', kind: 'counter', unit: 'bytes', labelNames: ['scheme'], samples: (f) => perScheme(f, (s) => s.addedBytes) },
  { name: 'action', help: 'Time spent in actions (collapse calls).', kind: 'counter', unit: 'seconds', labelNames: ['scheme'], samples: (f) => perScheme(f, (s) => s.actionSeconds) },
  {
    name: 'quota_exceeds',
    help: "Times the quota was used up in a window (the kernel's nr_quota_exceeds).",
    kind: 'counter',
    unit: 'none',
    labelNames: ['scheme'],
    samples: (f) => perScheme(f, (s) => s.quotaExceeds),
  },
  {
    name: 'units',
    help: '2 MiB units handled, by outcome (collapsed, already-huge, EAGAIN, skipped-cold, ...).',
    kind: 'counter',
    unit: 'none',
    labelNames: ['scheme', 'outcome'],
    samples: (f) => f.schemes.flatMap((s, i) => Object.entries(s.units).map(([outcome, value]) => ({ labels: { scheme: String(i), outcome }, value }))),
  },
];

/**
 * Follows one tuner (its `aggregate` and `quota` events) and reads its figures on demand:
 * stats() plus the target's anonymous and huge bytes from /proc (off the JS thread). Reads
 * that overlap share one (a scrape asks every metric at once).
 */
export class TunerFigureSource {
  readonly #tuner: HugepageTuner;
  #regions = 0;
  #cpuMs = 0;
  #lastThreadCpuMs = 0;
  readonly #scores = new Map<number, number | null>();
  #reading: Promise<TunerFigures> | null = null;
  readonly #onAggregate = (s: MonitorSnapshot) => {
    this.#regions = s.regions.length;
    // A new monitor (the eligible memory changed) starts its thread's clock from zero.
    this.#cpuMs += s.threadCpuMs >= this.#lastThreadCpuMs ? s.threadCpuMs - this.#lastThreadCpuMs : s.threadCpuMs;
    this.#lastThreadCpuMs = s.threadCpuMs;
  };
  readonly #onQuota = (q: QuotaReport) => this.#scores.set(q.scheme, q.score === null ? null : q.score / 10_000);

  constructor(tuner: HugepageTuner) {
    this.#tuner = tuner;
    tuner.on('aggregate', this.#onAggregate);
    tuner.on('quota', this.#onQuota);
  }

  read(): Promise<TunerFigures> {
    this.#reading ??= this.#read().finally(() => {
      this.#reading = null;
    });
    return this.#reading;
  }

  async #read(): Promise<TunerFigures> {
    const pid = this.#tuner.options.pid;
    const usage = await hugepageUsage(pid === 'self' ? {} : { pid }).catch(() => null);
    const s = this.#tuner.stats();
    return {
      running: s.running,
      usage,
      eligibleBytes: s.eligibility.eligibleAnonymousBytes,
      ineligibleBytes: s.eligibility.ineligibleAnonymousBytes,
      regions: this.#regions,
      aggregations: s.aggregations,
      samplerCpuSeconds: this.#cpuMs / 1000,
      schemes: s.schemes.map((scheme, i) => ({
        goalScore: this.#scores.get(i) ?? null,
        effectiveQuotaBytes: scheme.effectiveQuotaBytes,
        triedBytes: scheme.stats.bytesTried,
        collapsedBytes: scheme.stats.units.collapsed * UNIT_BYTES,
        addedBytes: scheme.stats.addedBytes,
        actionSeconds: scheme.stats.actionMs / 1000,
        quotaExceeds: scheme.stats.quotaExceeds,
        units: scheme.stats.units,
      })),
    };
  }

  /** Stops following the tuner. */
  close(): void {
    this.#tuner.off('aggregate', this.#onAggregate);
    this.#tuner.off('quota', this.#onQuota);
  }
}
