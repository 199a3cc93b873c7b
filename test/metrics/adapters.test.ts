// thp-autotune/prometheus and thp-autotune/otel report what the tuner's stats() says, in the
// registry or meter the caller gives; diagnostics_channel subscribers get every snapshot,
// collapse and quota window. Driven by a simulated process (deterministic, stepped).
import diagnosticsChannel from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MeterProvider, MetricReader, type MetricData } from '@opentelemetry/sdk-metrics';
import { Registry, register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { HugepageTuner, TUNER_CHANNELS, type TunerReportMessage, type ApplyReport, type QuotaReport, type TunerSnapshotMessage } from '../../lib/index.js';
import { TUNER_METRICS } from '../../lib/metrics/figures.js';
import { prometheusName, registerTunerMetrics } from '../../lib/metrics/prometheus.js';
import { otelName, registerTunerInstruments } from '../../lib/metrics/otel.js';

const M = 2 ** 21;
const BASE = 0x7f00_0000_0000;

function simTuner(): HugepageTuner {
  return new HugepageTuner({
    source: {
      kind: 'sim',
      mappings: [{ start: BASE, end: BASE + 64 * M }],
      workload: { hot: [{ start: BASE + 8 * M, end: BASE + 24 * M }], hotShare: 0.9, accessesPer5ms: 5000 },
    },
    schemes: [{ pattern: { size: { min: '2M' } }, quota: { time: '10ms', goals: [{ metric: 'hugepage_mem_bp', target: '50%' }] } }],
  });
}

async function steps(t: HugepageTuner, windows: number): Promise<void> {
  for (let w = 0; w < windows; w++) await t.step(200);
}

/** `name{labels} value` lines of a Prometheus text exposition. */
function exposition(text: string): Map<string, number> {
  return new Map([...text.matchAll(/^([a-z_]+(?:\{[^}]*\})?) (\S+)$/gm)].map((m) => [m[1] as string, Number(m[2])]));
}

class CollectingReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

describe('tuner metrics', () => {
  it('prometheus: the caller’s registry gets Prometheus-named figures equal to stats(); the global registry none', async () => {
    const t = simTuner();
    const registry = new Registry();
    const metrics = registerTunerMetrics(t, registry, { labels: { tuner: 'sim' } });
    let last: QuotaReport | undefined;
    t.on('quota', (q) => (last = q));
    await steps(t, 20);
    const s = t.stats().schemes[0]!;
    expect(s.stats.units.collapsed).toBeGreaterThan(0);
    const text = await registry.metrics();
    const values = exposition(text);
    expect(text).toMatch(/^# TYPE thp_autotune_collapsed_bytes_total counter$/m);
    expect(text).toMatch(/^# TYPE thp_autotune_huge_ratio gauge$/m);
    expect(values.get('thp_autotune_collapsed_bytes_total{tuner="sim",scheme="0"}')).toBe(s.stats.units.collapsed * M);
    expect(values.get('thp_autotune_units_total{tuner="sim",scheme="0",outcome="collapsed"}')).toBe(s.stats.units.collapsed);
    expect(values.get('thp_autotune_units_total{tuner="sim",scheme="0",outcome="skipped-cold"}')).toBe(s.stats.units['skipped-cold']);
    expect(values.get('thp_autotune_tried_bytes_total{tuner="sim",scheme="0"}')).toBe(s.stats.bytesTried);
    expect(values.get('thp_autotune_effective_quota_bytes{tuner="sim",scheme="0"}')).toBe(s.effectiveQuotaBytes);
    expect(values.get('thp_autotune_goal_score_ratio{tuner="sim",scheme="0"}')).toBe(last!.score! / 10_000);
    expect(values.get('thp_autotune_aggregations_total{tuner="sim"}')).toBe(t.stats().aggregations);
    expect(values.get('thp_autotune_regions{tuner="sim"}')).toBeGreaterThan(0);
    expect(values.get('thp_autotune_running{tuner="sim"}')).toBe(0); // a simulated process is stepped, never started
    for (const name of metrics.names) expect(name).toMatch(/^thp_autotune_[a-z_]+$/);
    expect(metrics.names.filter((n) => n.endsWith('_total'))).toHaveLength(8);
    expect(await globalRegistry.metrics()).not.toMatch(/thp_autotune/);
    metrics.close();
    expect(await registry.metrics()).not.toMatch(/thp_autotune/);
  });

  it('otel: observable gauges and monotonic counters on the given meter, equal to stats()', async () => {
    const t = simTuner();
    const reader = new CollectingReader();
    const provider = new MeterProvider({ readers: [reader] });
    const instruments = registerTunerInstruments(t, { meter: provider.getMeter('test'), attributes: { tuner: 'sim' } });
    await steps(t, 20);
    const s = t.stats().schemes[0]!;
    const { resourceMetrics } = await reader.collect();
    const all = new Map<string, MetricData>(resourceMetrics.scopeMetrics.flatMap((sm) => sm.metrics.map((m) => [m.descriptor.name, m] as const)));
    expect([...all.keys()].sort()).toEqual([...instruments.names].sort());
    const collapsed = all.get('thp_autotune.collapsed')!;
    expect(collapsed.descriptor.unit).toBe('By');
    expect('isMonotonic' in collapsed && collapsed.isMonotonic).toBe(true);
    expect(collapsed.dataPoints.map((p) => [p.attributes, p.value])).toEqual([[{ tuner: 'sim', scheme: '0' }, s.stats.units.collapsed * M]]);
    const units = all.get('thp_autotune.units')!;
    expect(units.dataPoints.find((p) => p.attributes['outcome'] === 'collapsed')?.value).toBe(s.stats.units.collapsed);
    instruments.close();
    await provider.shutdown();
  });

  it('diagnostics_channel: snapshots, collapses and quota windows reach subscribers, with the tuner', async () => {
    const t = simTuner();
    const seen = { snapshots: 0, collapsedUnits: 0, quotas: 0, others: 0 };
    const onSnapshot = (m: unknown) => ((m as TunerSnapshotMessage).tuner === t ? seen.snapshots++ : seen.others++);
    const addressTypes = new Set<string>();
    const onCollapse = (m: unknown) => {
      const units = (m as TunerReportMessage<ApplyReport>).report.collapsedUnits;
      for (const u of units) addressTypes.add(typeof u);
      seen.collapsedUnits += units.length;
    };
    const onQuota = (m: unknown) => ((m as TunerReportMessage<QuotaReport>).report.scheme === 0 ? seen.quotas++ : seen.others++);
    let quotaEvents = 0;
    t.on('quota', () => quotaEvents++);
    diagnosticsChannel.subscribe(TUNER_CHANNELS.snapshot, onSnapshot);
    diagnosticsChannel.subscribe(TUNER_CHANNELS.collapse, onCollapse);
    diagnosticsChannel.subscribe(TUNER_CHANNELS.quota, onQuota);
    try {
      await steps(t, 10);
    } finally {
      diagnosticsChannel.unsubscribe(TUNER_CHANNELS.snapshot, onSnapshot);
      diagnosticsChannel.unsubscribe(TUNER_CHANNELS.collapse, onCollapse);
      diagnosticsChannel.unsubscribe(TUNER_CHANNELS.quota, onQuota);
    }
    const stats = t.stats();
    expect(seen).toEqual({ snapshots: stats.aggregations, collapsedUnits: stats.schemes[0]!.stats.units.collapsed, quotas: quotaEvents, others: 0 });
    expect(seen.collapsedUnits).toBeGreaterThan(0);
    expect([...addressTypes]).toEqual(['bigint']);
    expect(diagnosticsChannel.channel(TUNER_CHANNELS.collapse).hasSubscribers).toBe(false);
  });

  it('docs/metrics.md lists every metric under both names', () => {
    const doc = readFileSync(path.resolve(__dirname, '../../docs/metrics.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `(thp_autotune_\w+)` \| `(thp_autotune\.\w+)` \| (gauge|counter) \|/gm)].map((m) => [m[1], m[2], m[3]]);
    expect(rows).toEqual(TUNER_METRICS.map((m) => [prometheusName(m), otelName(m), m.kind]));
  });
});
