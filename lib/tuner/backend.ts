// What the tuner needs from the memory it tunes: one interface, two implementations (this
// or another process's real memory, lib/tuner/memory-backend.ts; the simulator's page table,
// lib/tuner/sim-backend.ts), so the same scheme logic runs on both.

/** 2 MiB: the unit of collapse (PMD size on x86-64). */
export const UNIT_BYTES = 2 ** 21;

export interface UnitState {
  address: number;
  /** Resident 4 KiB pages (0..512). */
  residentPages: number;
  /** Whether one PMD maps the unit. */
  huge: boolean;
}

export type BackendCollapseOutcome = 'collapsed' | 'already-huge' | 'not-mapped' | 'EAGAIN' | 'ENOMEM' | 'EBUSY' | 'EINVAL' | 'failed';

export interface UnitCollapse {
  address: number;
  outcome: BackendCollapseOutcome;
  residentPagesBefore: number;
  elapsedMs: number;
}

/** An anonymous mapping and what of it can be on huge pages. */
export interface AnonymousMapping {
  start: number;
  end: number;
  /** Resident anonymous bytes (smaps "Anonymous"); the sim counts resident pages. */
  anonymousBytes: number;
  /** Whether collapse can work here at all (private, writable, not MADV_NOHUGEPAGE). */
  collapsible: boolean;
}

export interface TunerBackend {
  /** Milliseconds on the clock that quota windows run on. */
  nowMs(): number;
  /** The target's anonymous mappings (refreshed by the tuner at every ops update). */
  anonymousMappings(): Promise<AnonymousMapping[]>;
  /** Per whole aligned unit of [start, end). */
  residency(start: number, end: number): Promise<UnitState[]>;
  /**
   * What probe() can tell of a unit's own activity, on top of its region's access rate:
   * - 'probe': the probe marks the unit's pages and reads them back at its next probe (pagemap
   *   write-protection, the simulator); a unit is collapsed once a probe saw it touched.
   * - 'window': the source observes units itself in windows of its own (the referenced source's
   *   armed cells); a unit a window saw unused since its region took its access rate is left
   *   alone, a unit not observed in that time follows its region's access rate.
   * - 'none': nothing per unit (the kernel's DAMON watching another process leaves no
   *   per-page trace we can read); the region's access rate stands for every unit.
   */
  readonly unitEvidence: 'probe' | 'window' | 'none';
  /**
   * Per unit address, its pages written (pagemap: of the pages probed, a sample of them) or
   * accessed (sim) since the unit's previous probe, starting the next window, or (referenced)
   * used in the latest window that observed it, if that is the source's last window or closed
   * at most `withinMs` ago (without it: in the last window only); null where nothing is known
   * of the unit. With 'probe' evidence a unit's first probe reads pages never marked as
   * touched, so only later probes say anything (`withinMs` does not apply).
   */
  probe(units: readonly number[], withinMs?: number): Promise<(number | null)[]>;
  /** MADV_COLLAPSE of every whole unit of [start, end) (clearing the sampler's write-protection first). */
  collapse(start: number, end: number): Promise<UnitCollapse[]>;
  /** MADV_HUGEPAGE / MADV_NOHUGEPAGE; returns the bytes advised. */
  advise(start: number, end: number, advice: 'hugepage' | 'nohugepage'): Promise<number>;
  /** Anonymous and huge anonymous bytes, of the target or of the machine. */
  usage(scope: 'process' | 'system'): Promise<{ anonymousBytes: number; anonHugeBytes: number }>;
}
