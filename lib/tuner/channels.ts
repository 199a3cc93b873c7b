// node:diagnostics_channel channels of the HugepageTuner, for tracing and APM tools that
// subscribe by name without holding the tuner. A message is built and published only while a
// channel has subscribers, so an unobserved tuner pays nothing.
import diagnosticsChannel from 'node:diagnostics_channel';
import type { MonitorSnapshot } from '../monitor/snapshot.js';
import type { HugepageTuner } from './hugepage-tuner.js';
import type { ApplyReport, QuotaReport } from './index.js';

/** Channel names: each message carries the tuner that published it. */
export const TUNER_CHANNELS = {
  /** Every monitor snapshot the tuner receives: `{ tuner, snapshot }`. */
  snapshot: 'thp-autotune:snapshot',
  /** Every application of a scheme that collapsed units: `{ tuner, report }` (report.collapsedUnits). */
  collapse: 'thp-autotune:collapse',
  /** Every new quota window (goal score, effective quota): `{ tuner, report }`. */
  quota: 'thp-autotune:quota',
} as const;

export interface TunerSnapshotMessage {
  tuner: HugepageTuner;
  snapshot: MonitorSnapshot;
}

export interface TunerReportMessage<Report extends ApplyReport | QuotaReport> {
  tuner: HugepageTuner;
  report: Report;
}

const snapshotChannel = diagnosticsChannel.channel(TUNER_CHANNELS.snapshot);
const collapseChannel = diagnosticsChannel.channel(TUNER_CHANNELS.collapse);
const quotaChannel = diagnosticsChannel.channel(TUNER_CHANNELS.quota);

export function publishSnapshot(tuner: HugepageTuner, snapshot: MonitorSnapshot): void {
  if (snapshotChannel.hasSubscribers) snapshotChannel.publish({ tuner, snapshot } satisfies TunerSnapshotMessage);
}

export function publishApply(tuner: HugepageTuner, report: ApplyReport): void {
  if (report.collapsedUnits.length > 0 && collapseChannel.hasSubscribers) collapseChannel.publish({ tuner, report } satisfies TunerReportMessage<ApplyReport>);
}

export function publishQuota(tuner: HugepageTuner, report: QuotaReport): void {
  if (quotaChannel.hasSubscribers) quotaChannel.publish({ tuner, report } satisfies TunerReportMessage<QuotaReport>);
}
