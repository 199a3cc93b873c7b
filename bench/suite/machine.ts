// What a result depends on besides the code: the CPU, the kernel, the THP and khugepaged
// settings, Node and glibc, and how busy the machine was. Printed with every result.
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { selectedChoice } from './thp-sysfs.js';

export interface ThpSettings {
  enabled: string | null;
  defrag: string | null;
  /** The 2 MiB size's own setting (mTHP kernels): `inherit` follows `enabled`. */
  enabled2M: string | null;
  shrinkUnderused: string | null;
  khugepaged: { pagesToScan: string | null; scanSleepMs: string | null; maxPtesNone: string | null; defrag: string | null };
}

export interface Machine {
  cpuModel: string;
  cpus: number;
  kernel: string;
  node: string;
  glibc: string | null;
  memTotalBytes: number;
  thp: ThpSettings;
}

const THP = '/sys/kernel/mm/transparent_hugepage';

function read(file: string): string | null {
  try {
    return readFileSync(`${THP}/${file}`, 'utf8').trim();
  } catch {
    return null;
  }
}

function choice(file: string): string | null {
  const text = read(file);
  return text === null ? null : (selectedChoice(text) ?? text);
}

export function thpSettings(): ThpSettings {
  return {
    enabled: choice('enabled'),
    defrag: choice('defrag'),
    enabled2M: choice('hugepages-2048kB/enabled'),
    shrinkUnderused: read('shrink_underused'),
    khugepaged: {
      pagesToScan: read('khugepaged/pages_to_scan'),
      scanSleepMs: read('khugepaged/scan_sleep_millisecs'),
      maxPtesNone: read('khugepaged/max_ptes_none'),
      defrag: read('khugepaged/defrag'),
    },
  };
}

export function describeMachine(): Machine {
  const header = (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header;
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cpus: cpus().length,
    kernel: release(),
    node: process.version,
    glibc: header?.glibcVersionRuntime ?? null,
    memTotalBytes: totalmem(),
    thp: thpSettings(),
  };
}

export function loadAverage(): number[] {
  return loadavg().map((l) => Math.round(l * 100) / 100);
}

/** One line: the THP settings as the page prints them. */
export function formatThp(t: ThpSettings): string {
  const k = t.khugepaged;
  return (
    `enabled ${t.enabled ?? '?'} (2 MiB: ${t.enabled2M ?? '?'}), defrag ${t.defrag ?? '?'}, shrink_underused ${t.shrinkUnderused ?? '?'}; ` +
    `khugepaged pages_to_scan ${k.pagesToScan ?? '?'}, scan_sleep_millisecs ${k.scanSleepMs ?? '?'}, max_ptes_none ${k.maxPtesNone ?? '?'}, defrag ${k.defrag ?? '?'}`
  );
}
