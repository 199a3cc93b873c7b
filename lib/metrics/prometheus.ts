// `thp-autotune/prometheus`: a HugepageTuner's figures as Prometheus metrics in a prom-client
// Registry the caller supplies (never the global one). prom-client is an optional peer
// dependency: only this entry loads it. Names follow Prometheus conventions (base unit
// suffix, `_total` on counters); docs/metrics.md lists them.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { HugepageTuner } from '../tuner/index.js';
import { TUNER_METRICS, TunerFigureSource, type MetricUnit, type TunerMetric } from './figures.js';

export interface PrometheusMetricsOptions {
  /** Prepended to every name; default `thp_autotune_`. */
  prefix?: string;
  /** Constant labels on every sample, e.g. `{ tuner: 'cache' }` to tell several tuners apart. */
  labels?: Record<string, string>;
}

export interface RegisteredMetrics {
  /** The metric names registered. */
  readonly names: readonly string[];
  /** Removes the metrics from the registry and stops following the tuner. */
  close(): void;
}

const SUFFIX: Record<MetricUnit, string> = { bytes: '_bytes', seconds: '_seconds', ratio: '_ratio', none: '' };

/**
 * The Prometheus name of a tuner metric: `collapsed` (bytes, counter) is
 * `thp_autotune_collapsed_bytes_total`. Exported for the test that checks docs/metrics.md's
 * table; the metric table itself is not public.
 *
 * @internal
 */
export function prometheusName(metric: TunerMetric, prefix = 'thp_autotune_'): string {
  return `${prefix}${metric.name}${SUFFIX[metric.unit]}${metric.kind === 'counter' ? '_total' : ''}`;
}

/**
 * Registers the tuner's metrics in `registry`. Each scrape reads the figures once (stats()
 * and the target's /proc/<pid>/smaps_rollup, off the JS thread) for every metric.
 */
export function registerTunerMetrics(tuner: HugepageTuner, registry: Registry, options: PrometheusMetricsOptions = {}): RegisteredMetrics {
  const source = new TunerFigureSource(tuner);
  const constant = options.labels ?? {};
  const names = TUNER_METRICS.map((metric) => {
    const name = prometheusName(metric, options.prefix);
    const labelNames = [...Object.keys(constant), ...metric.labelNames];
    const samples = async () => metric.samples(await source.read()).map((s) => ({ labels: { ...constant, ...s.labels }, value: s.value }));
    // A scrape copies the figures; counters are the tuner's running totals.
    async function collect(this: Gauge | Counter): Promise<void> {
      const values = await samples();
      this.reset();
      for (const s of values) {
        if (this instanceof Gauge) this.set(s.labels, s.value);
        else this.inc(s.labels, s.value);
      }
    }
    const config = { name, help: metric.help, labelNames, registers: [registry], collect };
    if (metric.kind === 'gauge') new Gauge(config);
    else new Counter(config);
    return name;
  });
  return {
    names,
    close: () => {
      for (const name of names) registry.removeSingleMetric(name);
      source.close();
    },
  };
}
