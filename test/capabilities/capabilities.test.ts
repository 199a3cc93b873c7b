import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { release } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { capabilities, type CapabilityReport } from '../../lib/capabilities/index.js';
import { configOption } from '../../lib/capabilities/kernel-config.js';
import { readVmstat } from '../../lib/procfs/index.js';
import { procfsFixture } from '../helpers/fixtures.js';

const THP = '/sys/kernel/mm/transparent_hugepage';
const read = (path: string) => readFileSync(path, 'utf8').trim();
const statusField = (key: string) => new RegExp(`^${key}:\\s*(\\S+)`, 'm').exec(read('/proc/self/status'))?.[1];
const kernelAtLeast = (major: number, minor: number) => {
  const [a = 0, b = 0] = release()
    .split('.')
    .map((part) => Number.parseInt(part, 10));
  return a > major || (a === major && b >= minor);
};

/** Every THP sysfs file that is a setting (not a statistic), with its content. */
function thpSettingsSnapshot(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of ['enabled', 'defrag', 'hpage_pmd_size', 'shrink_underused', 'use_zero_page']) {
    if (existsSync(`${THP}/${name}`)) files[name] = read(`${THP}/${name}`);
  }
  for (const name of ['max_ptes_none', 'max_ptes_swap', 'max_ptes_shared', 'pages_to_scan', 'scan_sleep_millisecs', 'alloc_sleep_millisecs', 'defrag']) {
    files[`khugepaged/${name}`] = read(`${THP}/khugepaged/${name}`);
  }
  for (const dir of readdirSync(THP).filter((d) => d.startsWith('hugepages-'))) {
    if (existsSync(`${THP}/${dir}/enabled`)) files[`${dir}/enabled`] = read(`${THP}/${dir}/enabled`);
  }
  return files;
}

function unsupportedItems(report: CapabilityReport): Array<[string, unknown]> {
  const found: Array<[string, unknown]> = [];
  const walk = (value: unknown, at: string) => {
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    if (record['supported'] === false) found.push([at, record['reason']]);
    for (const [key, child] of Object.entries(record)) walk(child, `${at}.${key}`);
  };
  walk(report, 'report');
  return found;
}

describe('capabilities() on this machine', () => {
  let report: CapabilityReport;
  let settingsBefore: Record<string, string>;
  let kdamondsBefore: string | undefined;
  let collapsesBefore: number;
  let collapsesAfter: number;

  beforeAll(async () => {
    settingsBefore = thpSettingsSnapshot();
    kdamondsBefore = existsSync('/sys/kernel/mm/damon/admin') ? read('/sys/kernel/mm/damon/admin/kdamonds/nr_kdamonds') : undefined;
    collapsesBefore = (await readVmstat()).thp['thp_collapse_alloc'] ?? 0;
    report = await capabilities();
    collapsesAfter = (await readVmstat()).thp['thp_collapse_alloc'] ?? 0;
  });

  it('changes no machine state: THP settings and the kdamond count are as before', () => {
    expect(thpSettingsSnapshot()).toEqual(settingsBefore);
    if (kdamondsBefore !== undefined) expect(read('/sys/kernel/mm/damon/admin/kdamonds/nr_kdamonds')).toBe(kdamondsBefore);
  });

  it('names the kernel and the addon', () => {
    expect(report.platform).toEqual({ os: 'linux', arch: process.arch, kernelRelease: release(), addon: { supported: true } });
  });

  it('reads the THP settings exactly as sysfs has them, with the list of choices', () => {
    const enabled = read(`${THP}/enabled`);
    expect(report.thp.supported).toBe(true);
    expect(report.thp.enabled!.selected).toBe(/\[(\S+)\]/.exec(enabled)![1]);
    expect(report.thp.enabled!.choices).toEqual(enabled.replace(/[[\]]/g, '').split(/\s+/));
    expect(report.thp.defrag!.selected).toBe(/\[(\S+)\]/.exec(read(`${THP}/defrag`))![1]);
    expect(report.thp.hpagePmdSize).toBe(Number(read(`${THP}/hpage_pmd_size`)));
    for (const name of ['max_ptes_none', 'max_ptes_swap', 'max_ptes_shared', 'pages_to_scan', 'scan_sleep_millisecs', 'alloc_sleep_millisecs']) {
      expect(report.thp.khugepaged[name], name).toBe(Number(read(`${THP}/khugepaged/${name}`)));
    }
    const sizeDirs = readdirSync(THP).filter((d) => /^hugepages-\d+kB$/.test(d) && existsSync(`${THP}/${d}/enabled`));
    expect(report.thp.sizes.map((s) => `hugepages-${s.bytes / 1024}kB`).sort()).toEqual(sizeDirs.sort());
    for (const size of report.thp.sizes) {
      expect(size.enabled.selected).toBe(/\[(\S+)\]/.exec(read(`${THP}/hugepages-${size.bytes / 1024}kB/enabled`))![1]);
    }
  });

  it('MADV_COLLAPSE is probed by a real collapse (the collapse counter moves when faults cannot make THPs)', () => {
    if (!report.madvCollapse.supported) {
      console.log(`MADV_COLLAPSE unsupported here: ${report.madvCollapse.reason}`);
      expect(report.madvCollapse.reason).toMatch(/MADV_COLLAPSE/);
      return;
    }
    expect(report.processThpAllowed).toEqual({ supported: true, prctlValue: 0 });
    // With THP "always" the touched page may already sit on a huge page, leaving nothing to collapse.
    if (report.thp.enabled!.selected !== 'always') expect(collapsesAfter).toBeGreaterThan(collapsesBefore);
  });

  it('PAGEMAP_SCAN is reported exactly on kernels from 6.7', () => {
    expect(report.pagemapScan.supported).toBe(kernelAtLeast(6, 7));
  });

  it('userfaultfd reports the feature bits it was offered and the sysctl and seccomp state', () => {
    const uffd = report.userfaultfdWpAsync;
    expect(uffd.seccompMode).toBe(Number(statusField('Seccomp')));
    expect(uffd.unprivilegedUserfaultfd).toBe(Number(read('/proc/sys/vm/unprivileged_userfaultfd')));
    if (uffd.features !== undefined) {
      expect(uffd.wpAsync).toBe((uffd.features & (1 << 15)) !== 0);
      expect(uffd.wpUnpopulated).toBe((uffd.features & (1 << 13)) !== 0);
    }
    expect(uffd.supported).toBe(uffd.wpAsync);
  });

  const config = existsSync('/proc/config.gz') ? gunzipSync(readFileSync('/proc/config.gz')).toString('utf8') : undefined;
  if (!config) console.log('skipping the DAMON vaddr cross-check: /proc/config.gz is absent');
  it.skipIf(!config)("DAMON's sysfs and vaddr answers agree with the kernel config", () => {
    expect(report.damonSysfs.supported).toBe(existsSync('/sys/kernel/mm/damon/admin') && process.geteuid?.() === 0);
    const vaddr = configOption(config!, 'DAMON_VADDR');
    if (configOption(config!, 'DAMON_SYSFS') === 'y') {
      expect(report.damonSysfs.vaddr.supported).toBe(vaddr === 'y' || vaddr === 'm');
      expect(['avail_operations', 'kallsyms', 'kernel-config']).toContain(report.damonSysfs.vaddr.evidence);
    }
  });

  it('reads privileges from this process', () => {
    const capEff = BigInt(`0x${statusField('CapEff')}`);
    const has = (bit: number) => ((capEff >> BigInt(bit)) & 1n) === 1n;
    expect(report.privileges.euid).toBe(process.geteuid!());
    expect(report.privileges.capabilities).toEqual({ sysAdmin: has(21), sysPtrace: has(19), sysNice: has(23) });
    expect(report.privileges.otherProcesses.supported).toBe(has(23));
    const scopeFile = '/proc/sys/kernel/yama/ptrace_scope';
    expect(report.privileges.ptraceScope).toBe(existsSync(scopeFile) ? Number(read(scopeFile)) : undefined);
  });

  it('every unsupported item carries a one-line reason', () => {
    for (const [at, reason] of unsupportedItems(report)) {
      expect(typeof reason, at).toBe('string');
      expect((reason as string).length, at).toBeGreaterThan(10);
      expect(reason as string, at).not.toContain('\n');
    }
  });
});

describe('kernel config parsing', () => {
  const text = procfsFixture('kernel-config-excerpt.txt');
  it.each([
    ['DAMON', 'y'],
    ['DAMON_SYSFS', 'm'],
    ['DAMON_VADDR', 'n'],
    ['DAMON_VADDR_KUNIT', undefined],
    ['IDLE_PAGE_TRACKING', undefined],
  ])('CONFIG_%s is %s', (name, value) => {
    expect(configOption(text, name)).toBe(value);
  });
});
