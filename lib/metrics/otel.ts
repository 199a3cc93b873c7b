// `thp-autotune/otel`: a HugepageTuner's figures as OpenTelemetry observable instruments
// (gauges and monotonic counters) on a Meter from @opentelemetry/api, an optional peer
// dependency that only this entry loads. One batch callback reads the figures once per
// collection; docs/metrics.md lists the instruments.
import { metrics, type BatchObservableCallback, type Meter, type Observable } from '@opentelemetry/api';
import type { HugepageTuner } from '../tuner/index.js';
import { TUNER_METRICS, TunerFigureSource, type MetricUnit, type TunerMetric } from './figures.js';

export interface OtelInstrumentsOptions {
  /** The meter to create the instruments on; default `metrics.getMeter('thp-autotune')` (the global MeterProvider). */
  meter?: Meter;
  /** Attributes on every observation, e.g. `{ tuner: 'cache' }`. */
  attributes?: Record<string, string>;
}

export interface RegisteredInstruments {
  /** The instrument names created. */
  readonly names: readonly string[];
  /** Stops observing (the instruments stay on the meter, reporting nothing). */
  close(): void;
}

const UNIT: Record<MetricUnit, string> = { bytes: 'By', seconds: 's', ratio: '1', none: '' };

/**
 * The OpenTelemetry name of a tuner metric: `thp_autotune.collapsed` (unit By). Exported for
 * the test that checks docs/metrics.md's table; the metric table itself is not public.
 *
 * @internal
 */
export function otelName(metric: TunerMetric): string {
  return `thp_autotune.${metric.name}`;
}

export function registerTunerInstruments(tuner: HugepageTuner, options: OtelInstrumentsOptions = {}): RegisteredInstruments {
  const meter = options.meter ?? metrics.getMeter('thp-autotune');
  const constant = options.attributes ?? {};
  const source = new TunerFigureSource(tuner);
  const instruments: Observable[] = TUNER_METRICS.map((metric) => {
    const description = { description: metric.help, unit: UNIT[metric.unit] };
    return metric.kind === 'gauge' ? meter.createObservableGauge(otelName(metric), description) : meter.createObservableCounter(otelName(metric), description);
  });
  const callback: BatchObservableCallback = async (result) => {
    const figures = await source.read();
    TUNER_METRICS.forEach((metric, i) => {
      const instrument = instruments[i] as Observable;
      for (const s of metric.samples(figures)) result.observe(instrument, s.value, { ...constant, ...s.labels });
    });
  };
  meter.addBatchObservableCallback(callback, instruments);
  return {
    names: TUNER_METRICS.map(otelName),
    close: () => {
      meter.removeBatchObservableCallback(callback, instruments);
      source.close();
    },
  };
}
