// The addon's /proc readers (native/addon/procfs.cc). Readers take a pid (0 = this process)
// and resolve off the JS thread; parsers take the text of the file.

export interface NativeVma {
  start: bigint;
  end: bigint;
  perms: string;
  offset: bigint;
  dev: string;
  inode: bigint;
  pathname: string;
}

/** A "Key: value [kB]" block (smaps, smaps_rollup, meminfo). */
export interface KeyFields {
  /** Values the kernel printed in kB, converted to bytes, keyed by the kernel's name ("AnonHugePages"). */
  bytes: Record<string, number>;
  /** Unitless numbers ("HugePages_Total", "ProtectionKey"). */
  counts: Record<string, number>;
  /** Values that are not a number, trimmed. */
  texts: Record<string, string>;
  /** Keys whose value exceeded 2^53 and is therefore rounded (see native/addon/procfs.cc). */
  inexact: string[];
}

export interface NativeSmapsVma extends NativeVma, KeyFields {
  /** THPeligible: whether the VMA may hold THPs; undefined on kernels that do not print it. */
  thpEligible: boolean | undefined;
  /** VmFlags: two-letter codes such as "rd", "wr", "hg" (MADV_HUGEPAGE), "nh" (MADV_NOHUGEPAGE). */
  vmFlags: string[];
}

export interface NativeSmapsRollup extends KeyFields {
  start: bigint;
  end: bigint;
}

export interface NativeVmstat {
  counters: Record<string, number>;
  inexact: string[];
}

export interface PressureLine {
  /** Percent of wall time with stalled tasks, averaged over 10 s, 60 s and 300 s. */
  avg10: number;
  avg60: number;
  avg300: number;
  /** Total stall time since boot, in microseconds. */
  totalMicros: number;
}

export interface MemoryPressure {
  /** Some task was stalled on memory. */
  some: PressureLine | undefined;
  /** All non-idle tasks were stalled at once. */
  full: PressureLine | undefined;
}

/** An anonymous private mapping, VMAs split at 2 MiB boundaries taken as one (native/platform/linux/procfs/anonymous_mappings.h). */
export interface NativeAnonymousMapping {
  start: bigint;
  end: bigint;
  anonymousBytes: number;
  collapsible: boolean;
}

export interface ProcfsBinding {
  procfs: {
    parseMaps(text: string): NativeVma[];
    readMaps(pid: number): Promise<NativeVma[]>;
    parseSmaps(text: string): NativeSmapsVma[];
    readSmaps(pid: number): Promise<NativeSmapsVma[]>;
    readAnonymousMappings(pid: number): Promise<NativeAnonymousMapping[]>;
    parseSmapsRollup(text: string): NativeSmapsRollup;
    readSmapsRollup(pid: number): Promise<NativeSmapsRollup>;
    parseMeminfo(text: string): KeyFields;
    readMeminfo(): Promise<KeyFields>;
    parseVmstat(text: string): NativeVmstat;
    readVmstat(): Promise<NativeVmstat>;
    parsePressure(text: string): MemoryPressure;
    readMemoryPressure(): Promise<MemoryPressure>;
  };
}
