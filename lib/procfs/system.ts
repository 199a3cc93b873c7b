// System-wide files: /proc/meminfo, /proc/vmstat and /proc/pressure/memory.
import type { KeyFields, MemoryPressure, NativeVmstat } from './native.js';
import { parseNative, readNative, requireText } from './read.js';

export type Meminfo = KeyFields;

/**
 * The THP and compaction counters of /proc/vmstat. Values are JS numbers: event counters
 * stay exact up to 2^53 (about 104 days of one event per nanosecond); a value above that is
 * rounded and its name is listed in `inexact`. Such values occur in practice only for gauges
 * the kernel prints as a wrapped-around negative number, never for the counters kept here.
 */
export interface VmstatThp {
  /** thp_* counters and nr_anon_transparent_hugepages (PMD-mapped anonymous THPs, in pages of hpage_pmd_size). */
  thp: Record<string, number>;
  /** compact_* counters (memory compaction, which THP allocation relies on). */
  compaction: Record<string, number>;
  inexact: string[];
}

function selectThpCounters(vmstat: NativeVmstat): VmstatThp {
  const thp: Record<string, number> = {};
  const compaction: Record<string, number> = {};
  for (const [name, value] of Object.entries(vmstat.counters)) {
    if (name.startsWith('thp_') || name === 'nr_anon_transparent_hugepages') thp[name] = value;
    else if (name.startsWith('compact_')) compaction[name] = value;
  }
  const inexact = vmstat.inexact.filter((name) => name in thp || name in compaction);
  return { thp, compaction, inexact };
}

export function parseMeminfo(text: string): Meminfo {
  requireText(text);
  return parseNative('/proc/meminfo', (procfs) => procfs.parseMeminfo(text));
}

/** Reads /proc/meminfo off the JS thread; sizes in bytes. */
export function readMeminfo(): Promise<Meminfo> {
  return readNative('/proc/meminfo', 0, (procfs) => procfs.readMeminfo());
}

export function parseVmstat(text: string): VmstatThp {
  requireText(text);
  return selectThpCounters(parseNative('/proc/vmstat', (procfs) => procfs.parseVmstat(text)));
}

/** Reads the THP and compaction counters of /proc/vmstat off the JS thread. */
export async function readVmstat(): Promise<VmstatThp> {
  return selectThpCounters(await readNative('/proc/vmstat', 0, (procfs) => procfs.readVmstat()));
}

export function parseMemoryPressure(text: string): MemoryPressure {
  requireText(text);
  return parseNative('/proc/pressure/memory', (procfs) => procfs.parsePressure(text));
}

/**
 * Reads /proc/pressure/memory (PSI) off the JS thread. Kernels without CONFIG_PSI (or booted
 * with psi=0) reject with SystemCallError (ENOENT / EOPNOTSUPP).
 */
export function readMemoryPressure(): Promise<MemoryPressure> {
  return readNative('/proc/pressure/memory', 0, (procfs) => procfs.readMemoryPressure());
}
