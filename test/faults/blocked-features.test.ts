// userfaultfd(2) or the PAGEMAP_SCAN ioctl blocked by a seccomp filter (as container runtimes'
// profiles do), installed by a launcher compiled at test time: the capability probe says what
// is missing and why, the pagemap monitor and a tuner on the pagemap source fail with a typed
// NotSupportedError (the tuner as an `error` event), and what does not need the feature (the
// tuner on its default source, referenced; collapse; residency by reading pagemap) goes on
// working. No crash, no output on stderr.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileC, unavailableReason } from '../helpers/compile-c.js';
import { runJsonChild } from '../helpers/json-child.js';
import { collapseUnavailable } from '../helpers/memory.js';
import { pagemapUnavailable } from '../helpers/pagemap.js';
import { sourceUnavailable } from '../helpers/sources.js';

const launcher = compileC('seccomp-launcher');
const skip = unavailableReason(launcher, 'blocked-features tests') ?? pagemapUnavailable() ?? (await collapseUnavailable());
if (skip && 'path' in launcher) console.log(`blocked-features tests skipped (they need the features to block them): ${skip}`);

const referencedMissing = sourceUnavailable('referenced');
if (referencedMissing) console.log(`blocked-features tests: the default tuner's check skipped: ${referencedMissing}`);

/** The default tuner uses referenced, which needs neither blocked feature: it runs, no error. */
function expectDefaultTunerRuns(out: { defaultTuner: { errors: unknown[]; running: boolean; sourceClass: string | null } }): void {
  if (referencedMissing) return;
  expect(out.defaultTuner).toEqual({ errors: [], running: true, sourceClass: 'ReferencedSource' });
}

function runBlocked(mode: 'no-userfaultfd' | 'no-pagemap-scan') {
  return runJsonChild(path.join(__dirname, 'fixtures/blocked-features-child.cjs'), [], { launcher: [(launcher as { path: string }).path, mode] });
}

describe.skipIf(skip !== null)('kernel features blocked by seccomp', () => {
  it('without userfaultfd: the probe blames seccomp, pagemap monitor and tuner fail typed, the default tuner and collapse still work', async () => {
    const out = await runBlocked('no-userfaultfd');
    console.log(`userfaultfd blocked: probe says ${JSON.stringify(out.userfaultfd.reason)}; monitor: ${out.monitor?.message}; tuner: ${JSON.stringify(out.tunerErrors)}`);
    expect(out.userfaultfd).toMatchObject({ supported: false, errno: 'EPERM' });
    expect(out.userfaultfd.reason).toMatch(/seccomp/);
    expect(out.userfaultfd.seccompMode).toBe(2);
    expect(out.pagemapScan.supported).toBe(true);
    expect(out.monitor).toMatchObject({ name: 'NotSupportedError', code: 'ERR_THP_NOT_SUPPORTED' });
    expect(out.monitor.message).toMatch(/userfaultfd/);
    expect(out.tunerErrors.length).toBe(1);
    expect(out.tunerRunningAfterError).toBe(false); // nothing monitors any more: the run ended
    expect(out.tunerErrors[0]).toMatchObject({ name: 'NotSupportedError', code: 'ERR_THP_NOT_SUPPORTED' });
    expectDefaultTunerRuns(out);
    expect(out.collapse.collapsed + out.collapse['already-huge']).toBe(4);
    expect(out.intact).toBe(true);
  });

  it('without PAGEMAP_SCAN: the probe says the ioctl is unknown, residency falls back to reading pagemap', async () => {
    const out = await runBlocked('no-pagemap-scan');
    console.log(`PAGEMAP_SCAN blocked: probe says ${JSON.stringify(out.pagemapScan.reason)}; monitor: ${out.monitor?.message}`);
    expect(out.pagemapScan).toMatchObject({ supported: false, errno: 'ENOTTY' });
    expect(out.pagemapScan.reason).toMatch(/PAGEMAP_SCAN/);
    expect(out.geometryPagemapScan).toBe(false);
    expect(out.userfaultfd.supported).toBe(true);
    expect(out.monitor).toMatchObject({ name: 'NotSupportedError', code: 'ERR_THP_NOT_SUPPORTED' });
    expect(out.monitor.message).toMatch(/PAGEMAP_SCAN/);
    expect(out.tunerErrors.length).toBe(1);
    expect(out.tunerRunningAfterError).toBe(false); // nothing monitors any more: the run ended
    expect(out.tunerErrors[0]).toMatchObject({ name: 'NotSupportedError' });
    expectDefaultTunerRuns(out);
    // Reading pagemap entries: resident pages still right, PMD mapping unknown (null).
    expect(out.residency).toEqual({ units: 4, resident: [512, 512, 512, 512], pmdMapped: [null, null, null, null] });
    expect(out.collapse.collapsed + out.collapse['already-huge']).toBe(4);
    expect(out.intact).toBe(true);
  });
});
