// `thp-autotune sysinfo [--json]`: what this machine supports (damo's `report sysinfo` is the model).
import type { Command } from 'commander';
import { capabilities } from '../../capabilities/capabilities.js';
import type { Capability, CapabilityReport } from '../../capabilities/report.js';
import { defineCommand, type Paint } from '../style/index.js';

const LABEL_WIDTH = 24;

type Painter = (kind: Paint, text: string) => string;

/** `supported` with details, or `unsupported: reason`, the verdict coloured by `paint`. */
function verdict(paint: Painter): (capability: Capability, details?: string) => string {
  return (capability, details = '') => {
    if (!capability.supported) return `${paint('bad', 'unsupported')}: ${capability.reason ?? 'unknown reason'}`;
    return details ? `${paint('good', 'supported')}    ${details}` : paint('good', 'supported');
  };
}

function size(bytes: number): string {
  const units: Array<[number, string]> = [
    [2 ** 30, 'G'],
    [2 ** 20, 'M'],
    [2 ** 10, 'K'],
  ];
  for (const [unit, suffix] of units) if (bytes >= unit && bytes % unit === 0) return `${bytes / unit}${suffix}`;
  return `${bytes}B`;
}

const listing = (values: Record<string, number>) =>
  Object.entries(values)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');

/** One aligned line per item: label, supported or unsupported with the reason, and details; `painter` colours the verdicts. */
export function formatSysinfo(report: CapabilityReport, paint: Painter = (_kind, text) => text): string {
  const status = verdict(paint);
  const { platform, thp, madvCollapse, processThpAllowed, pagemapScan, userfaultfdWpAsync: uffd } = report;
  const { damonSysfs: damon, privileges } = report;
  const caps = Object.entries(privileges.capabilities)
    .filter(([, has]) => has)
    .map(([name]) => `CAP_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`);
  const lines: Array<[string, string]> = [
    ['kernel', `${platform.kernelRelease ?? 'unknown'} (${platform.os} ${platform.arch})`],
    ['native addon', status(platform.addon)],
    [
      'THP',
      status(
        thp,
        [
          thp.enabled && `enabled=${thp.enabled.selected} [${thp.enabled.choices.join(' ')}]`,
          thp.defrag && `defrag=${thp.defrag.selected} [${thp.defrag.choices.join(' ')}]`,
          thp.hpagePmdSize !== undefined && `hpage_pmd_size=${size(thp.hpagePmdSize)}`,
          thp.shrinkUnderused !== undefined && `shrink_underused=${thp.shrinkUnderused}`,
          thp.useZeroPage !== undefined && `use_zero_page=${thp.useZeroPage}`,
        ]
          .filter(Boolean)
          .join(' '),
      ),
    ],
    ['THP khugepaged', thp.supported ? listing(thp.khugepaged) : status(thp)],
    ['THP per size (mTHP)', thp.supported ? thp.sizes.map((s) => `${size(s.bytes)}:${s.enabled.selected}`).join(' ') : status(thp)],
    ['MADV_COLLAPSE', status(madvCollapse, 'probed: collapsed a test mapping')],
    ['THP for this process', status(processThpAllowed, `PR_GET_THP_DISABLE=${processThpAllowed.prctlValue}`)],
    ['PAGEMAP_SCAN', status(pagemapScan, 'probed on /proc/self/pagemap')],
    [
      'userfaultfd WP_ASYNC',
      status(
        uffd,
        [uffd.userModeOnly ? 'UFFD_USER_MODE_ONLY' : 'privileged descriptor', uffd.features !== undefined && `features=0x${uffd.features.toString(16)}`, uffd.wpUnpopulated && 'WP_UNPOPULATED']
          .filter(Boolean)
          .join(' '),
      ),
    ],
    ['DAMON sysfs', status(damon, damon.kdamonds !== undefined ? `kdamonds=${damon.kdamonds}` : '')],
    ['DAMON vaddr', status(damon.vaddr, `evidence: ${damon.vaddr.evidence}`)],
    ['privileges', `euid=${privileges.euid ?? 'unknown'} ${caps.join(' ') || 'no relevant capabilities'} ` + `yama ptrace_scope=${privileges.ptraceScope ?? 'absent'}`],
    ['other processes', status(privileges.otherProcesses, privileges.otherProcesses.scope)],
  ];
  return lines.map(([label, text]) => `${label.padEnd(LABEL_WIDTH)}${text}`).join('\n') + '\n';
}

export function registerSysinfoCommand(program: Command): void {
  defineCommand<{ json?: boolean }>(program, {
    name: 'sysinfo',
    description: 'Show what this kernel and process support: THP settings, MADV_COLLAPSE, PAGEMAP_SCAN, userfaultfd, DAMON, privileges',
    examples: [
      ['sysinfo', 'one line per capability, with the reason for anything missing'],
      ['sysinfo --json', 'the full report (what capabilities() returns)'],
    ],
    run: async (out) => {
      const report = await capabilities();
      if (out.json) out.result(report);
      else process.stdout.write(formatSysinfo(report, out.paint));
    },
  });
}
