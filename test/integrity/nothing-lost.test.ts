// Nothing lost: records written continuously while sampling, write-protect cycles, collapses
// (the tuner's and explicit collapse() calls) and MADV_NOHUGEPAGE/MADV_HUGEPAGE flips that
// split huge pages run concurrently, off the JS thread; every record verifies during the run
// and at the end. Once per access source that acts on real memory: `referenced` (the
// tuner's default: it splits the buffer into cells and clears Accessed bits with MADV_COLD),
// `pagemap`, and the kernel's `damon` where it has vaddr operations. The `sim` and `pattern` sources never touch
// real memory (a simulated page table, a synthetic pattern), so they have nothing to lose.
// THP_INTEGRITY_SECONDS (default 4) and THP_INTEGRITY_MIB (default 64) make a longer run.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { capabilities } from '../../lib/index.js';
import { runJsonChild } from '../helpers/json-child.js';
import { collapseUnavailable } from '../helpers/memory.js';
import { sourceUnavailable } from '../helpers/sources.js';

const SECONDS = Number(process.env['THP_INTEGRITY_SECONDS'] ?? 4);
const MIB = Number(process.env['THP_INTEGRITY_MIB'] ?? 64);
const collapseMissing = await collapseUnavailable();
const caps = await capabilities();
const damonMissing =
  process.getuid?.() !== 0 ? 'the kernel DAMON source needs root' : caps.damonSysfs.vaddr.supported ? null : `kernel DAMON cannot watch a process here: ${caps.damonSysfs.vaddr.reason}`;
const sources: { source: 'referenced' | 'pagemap' | 'damon'; missing: string | null }[] = [
  { source: 'referenced', missing: collapseMissing ?? sourceUnavailable('referenced') },
  { source: 'pagemap', missing: collapseMissing ?? sourceUnavailable('pagemap') },
  { source: 'damon', missing: collapseMissing ?? damonMissing },
];
for (const s of sources) if (s.missing) console.log(`integrity run with the ${s.source} source skipped: ${s.missing}`);

describe('nothing lost under sampling, write-protection, collapse and churn', () => {
  for (const { source, missing } of sources) {
    it.skipIf(missing !== null)(
      `every record verifies (${source} source, ${SECONDS} s, ${MIB} MiB)`,
      async () => {
        const out = await runJsonChild(path.join(__dirname, 'fixtures/integrity-child.cjs'), [source, String(SECONDS), String(MIB)], { timeoutMs: SECONDS * 1000 + 120_000 });
        const collapsed = (out.directCollapse.collapsed ?? 0) + out.tunerCollapsedUnits;
        console.log(
          `integrity (${source}, ${SECONDS} s, ${MIB} MiB): ${out.recordsWritten} records written, ${out.recordsVerified} verified in ${out.verifications} passes, ` +
            `damaged ${JSON.stringify(out.bad)}; ${collapsed} units collapsed (explicit ${JSON.stringify(out.directCollapse)}, tuner ${out.tunerCollapsedUnits}); ` +
            `${out.flips} nohugepage/hugepage flips; ${out.wpCycles} write-protect cycles over ${out.wpUnits} units; ${out.hugeUnitsAtEnd} units huge at the end; tuner errors ${JSON.stringify(out.errors)}`,
        );
        expect(out.bad).toEqual({});
        expect(out.verifications).toBeGreaterThanOrEqual(2);
        expect(out.recordsVerified).toBe(out.verifications * out.slots);
        expect(out.recordsWritten).toBeGreaterThan(out.slots);
        expect(collapsed).toBeGreaterThanOrEqual(1);
        expect(out.flips).toBeGreaterThan(0);
        if (source === 'pagemap') expect(out.wpCycles).toBeGreaterThan(0);
        expect(out.errors).toEqual([]);
      },
      SECONDS * 1000 + 150_000,
    );
  }
});
