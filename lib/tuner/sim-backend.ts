// The tuner's backend on a simulated process: the simulated source's page table (collapse
// with khugepaged's absent-PTE rule, splits, residency per unit), through its methods. Time is the monitor's
// simulated time, and collapse is charged a modelled cost per unit (1 ms per 2 MiB, measured on
// the build machine: docs/measured-facts.md), so time quotas behave as on real memory.
import type { SimulatedSource } from '../sources/sim.js';
import type { AnonymousMapping, TunerBackend, UnitCollapse, UnitState } from './backend.js';
import { UNIT_BYTES } from './backend.js';

export class SimBackend implements TunerBackend {
  /** The simulated page table's Accessed bits probe each unit. */
  readonly unitEvidence = 'probe';
  readonly #source: SimulatedSource;
  readonly #mappings: { start: number; end: number }[];
  readonly #collapseMsPerUnit: number;
  #simMs = 0;

  constructor(source: SimulatedSource, mappings: { start: number; end: number }[], collapseMsPerUnit = 1) {
    this.#source = source;
    this.#mappings = mappings;
    this.#collapseMsPerUnit = collapseMsPerUnit;
  }

  /** Moves the simulated clock (the tuner calls it with each snapshot's interval). */
  advance(ms: number): void {
    this.#simMs += ms;
  }

  nowMs(): number {
    return this.#simMs;
  }

  async anonymousMappings(): Promise<AnonymousMapping[]> {
    return this.#mappings.map((m) => {
      const resident = this.#source.residency(m.start, m.end).reduce((n, u) => n + u.residentPages * 4096, 0);
      return { start: m.start, end: m.end, anonymousBytes: resident, collapsible: true };
    });
  }

  async residency(start: number, end: number): Promise<UnitState[]> {
    return this.#source.residency(start, end).map((u) => ({ address: Number(u.address), residentPages: u.residentPages, huge: u.pmdMapped }));
  }

  /** Through the simulated page table's Accessed bits, as the sampler reads them. */
  async probe(units: readonly number[]): Promise<(number | null)[]> {
    return this.#source.probe(units.map((u) => ({ start: u, end: u + UNIT_BYTES })));
  }

  async collapse(start: number, end: number): Promise<UnitCollapse[]> {
    const out: UnitCollapse[] = [];
    for (const u of this.#source.residency(start, end)) {
      // The tuner applies its own bloat bound first; the simulated kernel applies MADV_COLLAPSE's (none).
      const r = this.#source.collapse(u.address, 511);
      // No frame left for the huge page is the kernel's ENOMEM; other refusals are bad input (EINVAL).
      const outcome = r.status === 'collapsed' ? 'collapsed' : r.status === 'already-huge' ? 'already-huge' : r.status === 'empty' ? 'not-mapped' : r.status === 'out-of-frames' ? 'ENOMEM' : 'EINVAL';
      out.push({ address: Number(u.address), outcome, residentPagesBefore: u.residentPages, elapsedMs: outcome === 'collapsed' ? this.#collapseMsPerUnit : 0 });
    }
    return out;
  }

  // The simulated process takes no page faults and runs no khugepaged, so MADV_HUGEPAGE /
  // MADV_NOHUGEPAGE (hints for those) change nothing in it; they count as applied.
  async advise(start: number, end: number): Promise<number> {
    return end - start;
  }

  async usage(): Promise<{ anonymousBytes: number; anonHugeBytes: number }> {
    let anonymousBytes = 0;
    let anonHugeBytes = 0;
    for (const m of this.#mappings) {
      for (const u of this.#source.residency(m.start, m.end)) {
        anonymousBytes += u.residentPages * 4096;
        if (u.pmdMapped) anonHugeBytes += UNIT_BYTES;
      }
    }
    return { anonymousBytes, anonHugeBytes };
  }
}
