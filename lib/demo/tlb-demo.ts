// The demo: what huge pages do for a program that reads memory at random. It fills a buffer
// on 4 KiB pages, times random reads, collapses the buffer into 2 MiB pages with
// MADV_COLLAPSE, and times the same reads again.
import { capabilities } from '../capabilities/index.js';
import type { CapabilityReport } from '../capabilities/index.js';
import { addressOf } from '../memory/index.js';
import { readMeminfo, readSmaps } from '../procfs/index.js';
import { collapseSegments, populateSmallPages, timeRandomReads, type CollapseTotals } from '../workloads/index.js';

export interface DemoOptions {
  /** Buffer size in bytes; default 4 GiB, less when memory is short. */
  bytes?: number;
  /** Random reads per timing round. */
  accesses: number;
  /** Timing rounds per configuration (the median is reported). */
  rounds: number;
  /** Progress lines for people; the JSON mode passes a no-op. */
  log: (line: string) => void;
  /** A capability report already taken (the CLI prints it first); probed here otherwise. */
  capabilities?: CapabilityReport;
}

export interface DemoResult {
  capabilities: CapabilityReport;
  bytes: number;
  fillMs: number;
  /** Absent when the platform cannot run the demo at all; `skipped` says why. */
  smallPages?: { nsPerAccess: number; rounds: number[]; anonHugeBytes: number };
  /** Absent when MADV_COLLAPSE cannot run here; `skipped` says why. */
  hugePages?: { nsPerAccess: number; rounds: number[]; anonHugeBytes: number; collapse: CollapseTotals };
  speedup?: number;
  skipped?: string;
}

export const DEFAULT_DEMO_BYTES = 4 * 2 ** 30;
const MIN_DEMO_BYTES = 256 * 2 ** 20;
const UNIT = 2 * 2 ** 20;

/** 4 GiB, or a quarter of MemAvailable when that is less (the 4 KiB and 2 MiB phases share one buffer). */
export async function defaultDemoBytes(): Promise<number> {
  const available = (await readMeminfo()).bytes['MemAvailable'] ?? DEFAULT_DEMO_BYTES * 4;
  const quarter = Math.floor(available / 4 / UNIT) * UNIT;
  return Math.max(MIN_DEMO_BYTES, Math.min(DEFAULT_DEMO_BYTES, quarter));
}

export async function runTlbDemo(options: DemoOptions): Promise<DemoResult> {
  const { log } = options;
  const report = options.capabilities ?? (await capabilities());
  if (!report.platform.addon.supported || report.platform.os !== 'linux') {
    const skipped = `the demo needs Linux and the native addon: ${report.platform.addon.reason ?? `this is ${report.platform.os}`}`;
    log(skipped);
    return { capabilities: report, bytes: 0, fillMs: 0, skipped };
  }
  const bytes = options.bytes ?? (await defaultDemoBytes());
  log(`filling ${gib(bytes)} with 4 KiB pages (MADV_NOHUGEPAGE, then MADV_POPULATE_WRITE) ...`);
  const fillStart = performance.now();
  const segments = await populateSmallPages(bytes);
  const fillMs = performance.now() - fillStart;
  log(`  done in ${(fillMs / 1000).toFixed(1)} s`);

  const timeReads = (label: string) => {
    const rounds: number[] = [];
    for (let round = 0; round < options.rounds; round++) rounds.push(timeRandomReads(segments, { accesses: options.accesses, seed: round + 1 }).nsPerAccess);
    const median = [...rounds].sort((a, b) => a - b)[rounds.length >> 1]!;
    log(`random 8-byte reads on ${label}: ${median.toFixed(1)} ns/access (median of ${rounds.length} rounds of ${options.accesses.toLocaleString('en-US')})`);
    return { nsPerAccess: median, rounds };
  };

  const small = { ...timeReads('4 KiB pages'), anonHugeBytes: await anonHugeBytesOf(segments) };
  if (!report.madvCollapse.supported) {
    const skipped = `MADV_COLLAPSE is not available: ${report.madvCollapse.reason ?? 'unknown reason'}`;
    log(skipped);
    return { capabilities: report, bytes, fillMs, smallPages: small, skipped };
  }

  log(`collapsing ${segments.length > 1 ? `${segments.length} segments` : 'the buffer'} into 2 MiB pages with MADV_COLLAPSE ...`);
  const collapseTotals = await collapseSegments(segments);
  const units = Object.values(collapseTotals.outcomes).reduce((a, b) => a + b, 0);
  log(
    `  ${collapseTotals.outcomes.collapsed} of ${units} units collapsed in ${(collapseTotals.elapsedMs / 1000).toFixed(2)} s (${(collapseTotals.elapsedMs / Math.max(1, units)).toFixed(2)} ms per 2 MiB)` +
      otherOutcomes(collapseTotals),
  );

  const huge = { ...timeReads('2 MiB pages'), anonHugeBytes: await anonHugeBytesOf(segments), collapse: collapseTotals };
  const speedup = small.nsPerAccess / huge.nsPerAccess;
  log(`AnonHugePages of the buffer: ${gib(small.anonHugeBytes)} before, ${gib(huge.anonHugeBytes)} after`);
  log(`speedup from huge pages: ${speedup.toFixed(2)}x`);
  return { capabilities: report, bytes, fillMs, smallPages: small, hugePages: huge, speedup };
}

function otherOutcomes(totals: CollapseTotals): string {
  const others = Object.entries(totals.outcomes).filter(([name, count]) => name !== 'collapsed' && count > 0);
  return others.length ? `; ${others.map(([name, count]) => `${count} ${name}`).join(', ')}` : '';
}

/** AnonHugePages summed over this process's mappings inside the buffer (one VMA, or one per segment). */
async function anonHugeBytesOf(segments: ArrayBuffer[]): Promise<number> {
  const start = addressOf(segments[0]!);
  const end = start + BigInt(segments.reduce((sum, s) => sum + s.byteLength, 0));
  const vmas = await readSmaps();
  return vmas.filter((vma) => vma.start < end && vma.end > start).reduce((sum, vma) => sum + (vma.bytes['AnonHugePages'] ?? 0), 0);
}

function gib(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}
