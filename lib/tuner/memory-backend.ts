// The tuner's backend on real memory: this process or another (collapse through a pidfd and
// process_madvise). Every call runs off the JS thread through lib/memory and lib/procfs;
// only clearing the pagemap source's write-protection (one ioctl) runs here.
import { NotSupportedError } from '../errors.js';
import { collapse } from '../memory/collapse.js';
import { madvise } from '../memory/madvise.js';
import { residency } from '../memory/residency.js';
import { readAnonymousMappings } from '../procfs/anonymous-mappings.js';
import { PagemapSource } from '../sources/pagemap.js';
import type { ReferencedSource } from '../sources/referenced.js';
import { pinProcess, type ProcessTarget } from '../procfs/target.js';
import { hugepageUsage } from '../procfs/hugepage-usage.js';
import { UNIT_BYTES, type AnonymousMapping, type TunerBackend, type UnitCollapse, type UnitState } from './backend.js';

/** 4 KiB pages of a unit the pagemap source's probe protects and reads: one in every 32. */
export const PROBE_PAGES = 16;
const PAGE = 4096;

/** The probed pages of the unit at `unit`, as probe ranges: the middle page of each 1/16 of it. */
function probePages(unit: number): { start: number; end: number }[] {
  const stride = UNIT_BYTES / PROBE_PAGES;
  return Array.from({ length: PROBE_PAGES }, (_, k) => {
    const start = unit + k * stride + stride / 2;
    return { start, end: start + PAGE };
  });
}

export class MemoryBackend implements TunerBackend {
  readonly #pid: ProcessTarget;
  /**
   * The source of the running monitor (this process only); the tuner sets it at each launch.
   * The pagemap source's write-protection is the unit probe (and must be cleared before
   * collapse).
   */
  sampler: ReferencedSource | PagemapSource | null = null;

  constructor(pid: number | 'self') {
    // Another process is pinned by its start time: once it exits, every call fails with
    // NoSuchProcessError (ProcessReplacedError if its pid was reused) instead of acting on a newcomer.
    this.#pid = pid === 'self' || pid === process.pid ? 'self' : pinProcess(pid);
  }

  /**
   * The pagemap source leaves a per-page trace to probe; the referenced source remembers what
   * its windows saw of each cell (unit) it armed; the kernel's kdamond offers nothing.
   */
  get unitEvidence(): 'probe' | 'window' | 'none' {
    if (this.sampler instanceof PagemapSource) return 'probe';
    return this.sampler === null ? 'none' : 'window';
  }

  nowMs(): number {
    return performance.now();
  }

  /**
   * Anonymous private mappings, with neighbours that meet at a unit boundary with the same
   * permissions and collapsibility taken as one: the referenced source splits monitored memory
   * into one VMA per 2 MiB cell while it runs, and the tuner must keep seeing the mapping it
   * launched the monitor on (no unit straddles such a boundary, so none is claimed wrongly).
   * Reduced natively: every ops update reads them, and per-VMA objects for thousands of cells
   * grew the JS heap of a tuned process by tens of MB.
   */
  async anonymousMappings(): Promise<AnonymousMapping[]> {
    const mappings = await readAnonymousMappings(this.#pid);
    return mappings.map((m) => ({ start: Number(m.start), end: Number(m.end), anonymousBytes: m.anonymousBytes, collapsible: m.collapsible }));
  }

  async residency(start: number, end: number): Promise<UnitState[]> {
    const units = await residency({ address: BigInt(start), length: end - start }, { pid: this.#pid });
    return units.map((u) => ({ address: Number(u.address), residentPages: u.residentPages, huge: u.pmdMapped === true }));
  }

  /**
   * Through the sampler's own marks, off the JS thread; null without a sampler. The referenced
   * source answers from each unit's latest window, if that is its last one or closed within `withinMs`. The pagemap source probes
   * PROBE_PAGES pages spread over the unit: protecting all 512 made the program's next write to
   * each of them fault (16-100 us here), and a writer of a 210 MiB hot set fell from about 9 to
   * 0.02 M writes/s for 5 s after one probe, while its monitor, seeing few writes, lost the hot set.
   */
  async probe(units: readonly number[], withinMs?: number): Promise<(number | null)[]> {
    if (this.sampler === null) return units.map(() => null);
    if (!(this.sampler instanceof PagemapSource)) {
      return this.sampler.probe(
        units.map((u) => ({ start: u, end: u + UNIT_BYTES })),
        withinMs === undefined ? {} : { maxAge: withinMs },
      );
    }
    const pages = await this.sampler.probe(units.flatMap(probePages));
    return units.map((_, i) => {
      const unit = pages.slice(i * PROBE_PAGES, (i + 1) * PROBE_PAGES);
      return unit.includes(null) ? null : unit.reduce<number>((sum, n) => sum + n!, 0);
    });
  }

  /**
   * One unit at a time, each with the sampler paused from clearing its write-protection until
   * MADV_COLLAPSE returns (collapse fails with EINVAL over a protected page, and the sampler
   * keeps protecting pages while it runs), so an EINVAL left is the kernel's lasting refusal.
   */
  async collapse(start: number, end: number): Promise<UnitCollapse[]> {
    const out: UnitCollapse[] = [];
    for (let unit = start; unit < end; unit += UNIT_BYTES) {
      const range = { address: BigInt(unit), length: UNIT_BYTES };
      // Only the pagemap source write-protects; the referenced source leaves nothing to clear.
      const sampler = this.sampler instanceof PagemapSource ? this.sampler : null;
      sampler?.pauseSampling(true);
      let report;
      try {
        sampler?.unprotect(range);
        report = await collapse(range, { pid: this.#pid });
      } finally {
        sampler?.pauseSampling(false);
      }
      const [u] = report.units;
      if (u === undefined) throw new Error(`collapse reported no unit at 0x${unit.toString(16)}`);
      out.push({ address: Number(u.address), outcome: u.outcome, residentPagesBefore: u.residentPagesBefore, elapsedMs: u.elapsedMs });
    }
    return out;
  }

  async advise(start: number, end: number, advice: 'hugepage' | 'nohugepage'): Promise<number> {
    if (this.#pid !== 'self') {
      throw new NotSupportedError(`the '${advice}' action on another process`, 'the kernel accepts MADV_HUGEPAGE/NOHUGEPAGE only from the process itself (process_madvise refuses them); use collapse');
    }
    await madvise({ address: BigInt(start), length: end - start }, advice);
    return end - start;
  }

  async usage(scope: 'process' | 'system'): Promise<{ anonymousBytes: number; anonHugeBytes: number }> {
    return scope === 'system' ? hugepageUsage({ scope }) : hugepageUsage({ scope, pid: this.#pid });
  }
}
