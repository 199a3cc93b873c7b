// capabilities(): probe what this machine and process allow, never throwing. Probing changes
// no machine state (sysfs is only read; test mappings are unmapped again).
import { nativeBinding } from '../native/binding.js';
import { configOption, readKernelConfig } from './kernel-config.js';
import type { NativeCapabilities, NativeSupport } from './native.js';
import { unsupportedReport, type Capability, type CapabilityReport, type VaddrEvidence } from './report.js';

/** Probes the kernel, THP settings and privileges. Resolves with everything unsupported (and why) off Linux or without the addon. */
export async function capabilities(): Promise<CapabilityReport> {
  if (process.platform !== 'linux') {
    return unsupportedReport(`needs Linux; this is ${process.platform}`, { supported: true });
  }
  let native: NativeCapabilities;
  try {
    const binding = nativeBinding();
    if (binding.platform.backend !== 'linux') {
      return unsupportedReport('the native addon was built without its Linux backend', { supported: true });
    }
    native = await binding.capabilities.probe();
  } catch (error) {
    const reason = oneLine((error as Error).message);
    return unsupportedReport(`the native addon is unavailable: ${reason}`, { supported: false, reason });
  }
  return toReport(native, await damonVaddr(native));
}

/** Reasons are shown one per line by `sysinfo`; error messages (a require stack) may span several. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function capability(support: NativeSupport): Capability {
  return support.supported ? { supported: true } : { supported: false, reason: oneLine(support.reason ?? 'unknown') };
}

const unknownIfNegative = (value: number): number | undefined => (value < 0 ? undefined : value);

async function damonVaddr(native: NativeCapabilities): Promise<Capability & { evidence: VaddrEvidence }> {
  if (!native.damon.sysfs) return { supported: false, reason: 'kernel DAMON sysfs is absent', evidence: 'none' };
  let vaddr = native.damon.vaddr;
  let evidence: VaddrEvidence = native.damon.vaddrEvidence || 'none';
  let source = evidence === 'avail_operations' ? "an existing DAMON context's avail_operations" : '/proc/kallsyms (no damon_va_* symbols)';
  if (vaddr < 0) {
    const config = await readKernelConfig(native.kernelRelease);
    const value = config ? configOption(config.text, 'DAMON_VADDR') : undefined;
    if (config && value) {
      vaddr = value === 'n' ? 0 : 1;
      evidence = 'kernel-config';
      source = config.source;
    }
  }
  if (vaddr === 1) return { supported: true, evidence };
  if (vaddr === 0) return { supported: false, reason: `DAMON is built without vaddr operations (CONFIG_DAMON_VADDR; per ${source})`, evidence };
  return {
    supported: false,
    reason: 'unknown: no DAMON context, no kernel symbols and no kernel config could be read to tell',
    evidence: 'none',
  };
}

function processThpAllowed(value: number): CapabilityReport['processThpAllowed'] {
  if (value < 0) return { supported: false, reason: 'prctl(PR_GET_THP_DISABLE) failed', prctlValue: undefined };
  if (value === 0) return { supported: true, prctlValue: 0 };
  return {
    supported: false,
    reason: 'THP is disabled for this process by prctl(PR_SET_THP_DISABLE), inherited from its parent; MADV_COLLAPSE is refused too',
    prctlValue: value,
  };
}

function otherProcesses(native: NativeCapabilities['privileges']): CapabilityReport['privileges']['otherProcesses'] {
  // mm/madvise.c, process_madvise(): a remote target needs PTRACE_MODE_READ access to its mm
  // (same user, or CAP_SYS_PTRACE) and the caller needs CAP_SYS_NICE.
  if (!native.capSysNice) {
    return {
      supported: false,
      reason: 'process_madvise(MADV_COLLAPSE) on another process needs CAP_SYS_NICE',
      scope: 'none',
    };
  }
  return { supported: true, scope: native.capSysPtrace ? 'all processes' : 'processes of the same user' };
}

function toReport(native: NativeCapabilities, vaddr: Capability & { evidence: VaddrEvidence }): CapabilityReport {
  const { thp, collapse, pagemapScan, userfaultfd, damon, privileges } = native;
  return {
    platform: { os: process.platform, arch: process.arch, kernelRelease: native.kernelRelease || undefined, addon: { supported: true } },
    thp: {
      ...capability(thp),
      enabled: thp.supported ? thp.enabled : undefined,
      defrag: thp.defrag.selected ? thp.defrag : undefined,
      hpagePmdSize: thp.values['hpage_pmd_size'],
      shrinkUnderused: thp.values['shrink_underused'],
      useZeroPage: thp.values['use_zero_page'],
      khugepaged: thp.khugepaged,
      sizes: thp.sizes.map((size) => ({ bytes: size.kilobytes * 1024, enabled: size.enabled })),
    },
    madvCollapse: { ...capability(collapse), errno: collapse.errno },
    processThpAllowed: processThpAllowed(collapse.thpDisable),
    pagemapScan: { ...capability(pagemapScan), errno: pagemapScan.errno },
    userfaultfdWpAsync: {
      ...capability(userfaultfd),
      errno: userfaultfd.errno,
      userModeOnly: userfaultfd.userModeOnly,
      features: userfaultfd.opened ? userfaultfd.features : undefined,
      wpAsync: userfaultfd.wpAsync,
      wpUnpopulated: userfaultfd.wpUnpopulated,
      unprivilegedUserfaultfd: unknownIfNegative(userfaultfd.unprivilegedSysctl),
      seccompMode: unknownIfNegative(userfaultfd.seccompMode),
    },
    damonSysfs: { ...capability(damon), kdamonds: unknownIfNegative(damon.nrKdamonds), vaddr },
    privileges: {
      euid: privileges.euid,
      capabilities: { sysAdmin: privileges.capSysAdmin, sysPtrace: privileges.capSysPtrace, sysNice: privileges.capSysNice },
      ptraceScope: unknownIfNegative(privileges.ptraceScope),
      otherProcesses: otherProcesses(privileges),
    },
  };
}
