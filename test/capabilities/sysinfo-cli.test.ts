import { describe, expect, it } from 'vitest';
import { capabilities } from '../../lib/capabilities/index.js';
import { formatSysinfo } from '../../lib/cli/commands/sysinfo.js';
import { runCli } from '../helpers/cli.js';

const LABELS = [
  'kernel',
  'native addon',
  'THP',
  'THP khugepaged',
  'THP per size (mTHP)',
  'MADV_COLLAPSE',
  'THP for this process',
  'PAGEMAP_SCAN',
  'userfaultfd WP_ASYNC',
  'DAMON sysfs',
  'DAMON vaddr',
  'privileges',
  'other processes',
];

describe('thp-autotune sysinfo', () => {
  it('prints one aligned line per item, each supported or unsupported with its reason', async () => {
    const report = await capabilities();
    const lines = formatSysinfo(report).trimEnd().split('\n');
    expect(lines.map((l) => l.slice(0, 24).trimEnd())).toEqual(LABELS);
    for (const line of lines) expect(line[23]).toBe(' ');
    expect(lines[5]).toMatch(report.madvCollapse.supported ? /^MADV_COLLAPSE\s+supported/ : /^MADV_COLLAPSE\s+unsupported: \S/);
    expect(lines[10]).toContain(report.damonSysfs.vaddr.supported ? 'supported' : `unsupported: ${report.damonSysfs.vaddr.reason}`);
  });

  it('--json prints the full report', async () => {
    const run = runCli(['sysinfo', '--json']);
    expect(run.status, run.stderr).toBe(0);
    const printed = JSON.parse(run.stdout) as Record<string, unknown>;
    const report = await capabilities();
    expect(Object.keys(printed)).toEqual(Object.keys(report));
    expect(printed['thp']).toMatchObject({ enabled: report.thp.enabled, hpagePmdSize: report.thp.hpagePmdSize });
  });

  it('without a loadable addon, every item is unsupported with the reason, and nothing throws', () => {
    const run = runCli(['sysinfo', '--json'], { THP_AUTOTUNE_NATIVE: '/nonexistent/thp_autotune.node' });
    expect(run.status, run.stderr).toBe(0);
    const printed = JSON.parse(run.stdout) as { platform: { addon: { supported: boolean; reason: string } }; thp: { supported: boolean; reason: string } };
    expect(printed.platform.addon.supported).toBe(false);
    expect(printed.platform.addon.reason).toMatch(/could not be loaded \(Cannot find module '\/nonexistent\/thp_autotune.node'/);
    expect(printed.thp).toMatchObject({ supported: false });
    expect(printed.thp.reason).toMatch(/^the native addon is unavailable: /);
    const text = runCli(['sysinfo'], { THP_AUTOTUNE_NATIVE: '/nonexistent/thp_autotune.node' }).stdout.trimEnd().split('\n');
    expect(text).toHaveLength(LABELS.length);
    expect(text.filter((l) => l.includes('unsupported: ')).length).toBeGreaterThanOrEqual(8);
  });
});
