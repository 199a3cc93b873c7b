// The typed capability report: what this machine and process allow thp-autotune to do.
import type { SysfsChoice } from './native.js';

/** One capability: whether it can be used here, and if not, a one-line reason. */
export interface Capability {
  supported: boolean;
  reason?: string;
}

/** Where the DAMON vaddr answer came from. */
export type VaddrEvidence = 'avail_operations' | 'kallsyms' | 'kernel-config' | 'none';

export interface CapabilityReport {
  platform: {
    os: NodeJS.Platform;
    arch: string;
    /** uname -r; undefined when the addon could not tell. */
    kernelRelease: string | undefined;
    /** The native addon loaded and was built for this platform. */
    addon: Capability;
  };
  /** Transparent huge pages and their sysfs settings (read only). */
  thp: Capability & {
    enabled: SysfsChoice | undefined;
    defrag: SysfsChoice | undefined;
    /** hpage_pmd_size in bytes: the size MADV_COLLAPSE works in. */
    hpagePmdSize: number | undefined;
    shrinkUnderused: number | undefined;
    useZeroPage: number | undefined;
    /** khugepaged/*: max_ptes_none, max_ptes_swap, max_ptes_shared, pages_to_scan, ... */
    khugepaged: Record<string, number>;
    /** Per-size (mTHP) settings for anonymous memory. */
    sizes: Array<{ bytes: number; enabled: SysfsChoice }>;
  };
  /** madvise(MADV_COLLAPSE), probed by collapsing a test mapping. */
  madvCollapse: Capability & { errno: string | undefined };
  /** prctl(PR_GET_THP_DISABLE): THP allowed for this process (a full disable also blocks collapse). */
  processThpAllowed: Capability & { prctlValue: number | undefined };
  /** The PAGEMAP_SCAN ioctl on /proc/self/pagemap (Linux 6.7). */
  pagemapScan: Capability & { errno: string | undefined };
  /** userfaultfd with asynchronous write-protect (UFFD_FEATURE_WP_ASYNC). */
  userfaultfdWpAsync: Capability & {
    errno: string | undefined;
    userModeOnly: boolean;
    features: number | undefined;
    wpAsync: boolean;
    wpUnpopulated: boolean;
    /** vm.unprivileged_userfaultfd; undefined when unreadable. */
    unprivilegedUserfaultfd: number | undefined;
    /** Seccomp mode of this process: 0 none, 1 strict, 2 filter. */
    seccompMode: number | undefined;
  };
  /** Kernel DAMON through sysfs (needs root to write). */
  damonSysfs: Capability & {
    kdamonds: number | undefined;
    /** Whether DAMON can monitor virtual address spaces (CONFIG_DAMON_VADDR). */
    vaddr: Capability & { evidence: VaddrEvidence };
  };
  privileges: {
    euid: number | undefined;
    capabilities: { sysAdmin: boolean; sysPtrace: boolean; sysNice: boolean };
    /** /proc/sys/kernel/yama/ptrace_scope; undefined without Yama. It restricts attaching, not the read access used here. */
    ptraceScope: number | undefined;
    /** process_madvise(MADV_COLLAPSE) and /proc reads on other processes. */
    otherProcesses: Capability & { scope: 'all processes' | 'processes of the same user' | 'none' };
  };
}

/** The report for a machine where nothing can be probed (not Linux, or no addon). */
export function unsupportedReport(reason: string, addon: Capability): CapabilityReport {
  const no = { supported: false, reason };
  return {
    platform: { os: process.platform, arch: process.arch, kernelRelease: undefined, addon },
    thp: {
      ...no,
      enabled: undefined,
      defrag: undefined,
      hpagePmdSize: undefined,
      shrinkUnderused: undefined,
      useZeroPage: undefined,
      khugepaged: {},
      sizes: [],
    },
    madvCollapse: { ...no, errno: undefined },
    processThpAllowed: { ...no, prctlValue: undefined },
    pagemapScan: { ...no, errno: undefined },
    userfaultfdWpAsync: {
      ...no,
      errno: undefined,
      userModeOnly: false,
      features: undefined,
      wpAsync: false,
      wpUnpopulated: false,
      unprivilegedUserfaultfd: undefined,
      seccompMode: undefined,
    },
    damonSysfs: { ...no, kdamonds: undefined, vaddr: { ...no, evidence: 'none' } },
    privileges: {
      euid: undefined,
      capabilities: { sysAdmin: false, sysPtrace: false, sysNice: false },
      ptraceScope: undefined,
      otherProcesses: { ...no, scope: 'none' },
    },
  };
}
