// Which memory the tuner can work on (docs/measured-facts.md, "What of a Node process can be on
// huge pages"): only whole, aligned 2 MiB units inside one anonymous mapping can become huge pages.
// Node's V8 heap lives in 256 KiB..2 MiB mappings at scattered addresses and never qualifies;
// large Buffers, WebAssembly memories and native allocations do.
import { UNIT_BYTES, type AnonymousMapping } from './backend.js';

/**
 * The whole aligned units of a collapsible mapping, keyed by the mapping.
 *
 * @inline
 */
export interface EligibleSpan {
  start: number;
  end: number;
  mappingKey: string;
}

/**
 * What of the target's anonymous memory can be put on huge pages (`stats().eligibility`).
 *
 * @inline
 */
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
    } else {
      report.ineligibleAnonymousBytes += m.anonymousBytes;
    }
  }
  report.spans.sort((a, b) => a.start - b.start);
  report.spans = disjointSpans(report.spans);
  report.eligibleUnitBytes = report.spans.reduce((sum, span) => sum + span.end - span.start, 0);
  return report;
}

/**
 * A read of /proc/<pid>/smaps is not atomic: while the process maps memory, a VMA that grew or
 * merged between two read(2) calls is listed again overlapping its earlier self (seen under
 * AddressSanitizer, whose many mappings make the read long). Monitoring targets must be
 * disjoint, so each span is cut to begin where the previous one ended.
 */
function disjointSpans(sorted: readonly EligibleSpan[]): EligibleSpan[] {
  const spans: EligibleSpan[] = [];
  let previousEnd = -Infinity;
  for (const span of sorted) {
    const start = Math.max(span.start, previousEnd);
    if (span.end <= start) continue;
    spans.push(start === span.start ? span : { ...span, start });
    previousEnd = span.end;
  }
  return spans;
}

/**
 * The eligible units a monitoring region stands for: those whose middle lies in
 * [start, end). Region bounds are 4 KiB-granular, so a unit often straddles two regions;
 * judging it by the region holding its middle gives every unit exactly one region.
 */
export function unitsOfRegion(spans: readonly EligibleSpan[], start: number, end: number): { start: number; end: number; mappingKey: string }[] {
  const half = UNIT_BYTES / 2;
  const first = Math.ceil((start - half) / UNIT_BYTES) * UNIT_BYTES;
  const last = Math.ceil((end - half) / UNIT_BYTES) * UNIT_BYTES;
  const out: { start: number; end: number; mappingKey: string }[] = [];
  for (const s of spans) {
    if (s.end <= first) continue;
    if (s.start >= last) break;
    const a = Math.max(s.start, first);
    const b = Math.min(s.end, last);
    if (b > a) out.push({ start: a, end: b, mappingKey: s.mappingKey });
  }
  return out;
}
