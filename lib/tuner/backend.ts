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
   * Whether probe() can tell a unit's own activity. Without it (the kernel's DAMON watching
   * another process leaves no per-page trace we can read) the scheme trusts the region's
   * access rate for every unit of the region.
   */
  readonly unitProbe: boolean;
  /**
   * Per unit address, its pages written (real memory: of the pages probed, which may be a
   * sample of them) or accessed (sim) since the unit's previous probe, starting the next
   * window; null where the unit cannot be probed. A unit's first probe reads pages never
   * marked as touched, so only later probes say anything.
   */
  probe(units: readonly number[]): Promise<(number | null)[]>;
  /** MADV_COLLAPSE of every whole unit of [start, end) (clearing the sampler's write-protection first). */
  collapse(start: number, end: number): Promise<UnitCollapse[]>;
  /** MADV_HUGEPAGE / MADV_NOHUGEPAGE; returns the bytes advised. */
  advise(start: number, end: number, advice: 'hugepage' | 'nohugepage'): Promise<number>;
  /** Anonymous and huge anonymous bytes, of the target or of the machine. */
  usage(scope: 'process' | 'system'): Promise<{ anonymousBytes: number; anonHugeBytes: number }>;
}
