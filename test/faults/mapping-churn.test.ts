// Mappings that change under the sampler and the tuner: a thread of the process maps,
// mprotects, mremaps and unmaps memory without pause (a compiled preload, since Node has no
// mmap API) while an AccessMonitor (pagemap source) and a HugepageTuner run on the same
// process. Nothing may crash, errors stay few, and after stop no userfaultfd registration or
// write-protection is left: smaps shows no "uw" VmFlags, writes land, collapse succeeds.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileC, unavailableReason } from '../helpers/compile-c.js';
import { runJsonChild } from '../helpers/json-child.js';
import { collapseUnavailable } from '../helpers/memory.js';
import { pagemapUnavailable } from '../helpers/pagemap.js';

const RUN_MS = 4000;
const preload = compileC('mapping-churn', { shared: true });
const skip = unavailableReason(preload, 'mapping-churn test') ?? pagemapUnavailable() ?? (await collapseUnavailable());
if (skip && 'path' in preload) console.log(`mapping-churn test skipped: ${skip}`);

describe.skipIf(skip !== null)('mappings changing under the sampler and the tuner', () => {
  it('survives mmap/mprotect/mremap/munmap churn and leaves no registration or write-protection behind', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'thp-churn-'));
    try {
      const report = path.join(dir, 'churn.json');
      const out = await runJsonChild(path.join(__dirname, 'fixtures/churn-child.cjs'), [String(RUN_MS)], {
        env: { ...process.env, LD_PRELOAD: (preload as { path: string }).path, THP_TEST_CHURN_MS: String(RUN_MS - 500), THP_TEST_CHURN_MIN: '6', THP_TEST_CHURN_REPORT: report },
        timeoutMs: 120_000,
      });
      const churn = JSON.parse(readFileSync(report, 'utf8')) as Record<string, number>;
      console.log(
        `mapping churn: ${JSON.stringify(churn)}; monitor aggregations ${out.aggregations}, tuner ${out.tunerAggregations}; units ${JSON.stringify(out.units)}; errors ${JSON.stringify(out.errors)}`,
      );
      // The churn really ran, every kind of change many times.
      for (const kind of ['mmap', 'mprotect', 'mremap', 'partialMunmap', 'munmap']) expect(churn[kind]).toBeGreaterThan(5);
      expect(out.aggregations).toBeGreaterThan(10);
      expect(out.tunerAggregations).toBeGreaterThan(10);
      // No error storm: a vanished mapping is an outcome, not an error.
      expect(out.errors.monitor.length).toBeLessThanOrEqual(2);
      expect(out.errors.tuner.length).toBeLessThanOrEqual(2);
      expect(out.registeredAfter).toBe(0);
      expect(out.uffdWpVmasAfter).toBe(0);
      expect(out.writesAfter).toBe(true);
      expect(out.collapseAfter.EINVAL).toBe(0); // no write-protect marker was left on the buffer
      expect(out.collapseAfter.collapsed + out.collapseAfter['already-huge']).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
