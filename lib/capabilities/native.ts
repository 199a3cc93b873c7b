// The addon's capability probe (native/addon/capabilities.cc): one call, run off the JS thread.

export interface NativeSupport {
  supported: boolean;
  reason?: string;
  /** The errno of the failed probe call ("EINVAL"), when one failed. */
  errno?: string;
}

export interface SysfsChoice {
  /** The bracketed (active) entry; empty when the file is absent. */
  selected: string;
  /** Every entry the file offers. */
  choices: string[];
}

export interface NativeCapabilities {
  kernelRelease: string;
  machine: string;
  thp: NativeSupport & {
    enabled: SysfsChoice;
    defrag: SysfsChoice;
    values: Record<string, number>;
    khugepaged: Record<string, number>;
    sizes: Array<{ kilobytes: number; enabled: SysfsChoice }>;
  };
  collapse: NativeSupport & { thpDisable: number };
  pagemapScan: NativeSupport;
  userfaultfd: NativeSupport & {
    opened: boolean;
    userModeOnly: boolean;
    features: number;
    wpAsync: boolean;
    wpUnpopulated: boolean;
    unprivilegedSysctl: number;
    seccompMode: number;
  };
  damon: NativeSupport & { sysfs: boolean; nrKdamonds: number; vaddr: -1 | 0 | 1; vaddrEvidence: '' | 'avail_operations' | 'kallsyms' };
  privileges: {
    euid: number;
    capSysAdmin: boolean;
    capSysPtrace: boolean;
    capSysNice: boolean;
    ptraceScope: number;
  };
}

export interface CapabilitiesBinding {
  capabilities: { probe(): Promise<NativeCapabilities> };
}
