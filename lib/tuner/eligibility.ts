// Which memory the tuner can work on (verified-here.md, "What of a Node process can be on huge
// pages"): only whole, aligned 2 MiB units inside one anonymous mapping can become huge pages.
// Node's V8 heap lives in 256 KiB..2 MiB mappings at scattered addresses and never qualifies;
// large Buffers, WebAssembly memories and native allocations do.
import { UNIT_BYTES, type AnonymousMapping } from './backend.js';

/** The whole aligned units of a collapsible mapping, keyed by the mapping. */
export interface EligibleSpan {
  start: number;
  end: number;
  mappingKey: string;
}

export interface EligibilityReport {
  spans: EligibleSpan[];
  /** Resident anonymous bytes in mappings holding at least one whole aligned unit. */
  eligibleAnonymousBytes: number;
  /** Resident anonymous bytes in mappings that cannot hold one (or refuse huge pages). */
  ineligibleAnonymousBytes: number;
  /** Virtual bytes of the eligible units. */
  eligibleUnitBytes: number;
}

export function eligibility(mappings: readonly AnonymousMapping[]): EligibilityReport {
  const report: EligibilityReport = { spans: [], eligibleAnonymousBytes: 0, ineligibleAnonymousBytes: 0, eligibleUnitBytes: 0 };
  for (const m of mappings) {
    const start = Math.ceil(m.start / UNIT_BYTES) * UNIT_BYTES;
    const end = Math.floor(m.end / UNIT_BYTES) * UNIT_BYTES;
    if (m.collapsible && end > start) {
      report.spans.push({ start, end, mappingKey: `${m.start.toString(16)}-${m.end.toString(16)}` });
      report.eligibleAnonymousBytes += m.anonymousBytes;
      report.eligibleUnitBytes += end - start;
    } else {
      report.ineligibleAnonymousBytes += m.anonymousBytes;
    }
  }
  report.spans.sort((a, b) => a.start - b.start);
  return report;
}

/** The parts of [start, end) that are whole units of eligible spans (spans sorted). */
export function clipToSpans(spans: readonly EligibleSpan[], start: number, end: number): { start: number; end: number; mappingKey: string }[] {
  const out: { start: number; end: number; mappingKey: string }[] = [];
  for (const s of spans) {
    if (s.end <= start) continue;
    if (s.start >= end) break;
    const a = Math.ceil(Math.max(s.start, start) / UNIT_BYTES) * UNIT_BYTES;
    const b = Math.floor(Math.min(s.end, end) / UNIT_BYTES) * UNIT_BYTES;
    if (b > a) out.push({ start: a, end: b, mappingKey: s.mappingKey });
  }
  return out;
}
