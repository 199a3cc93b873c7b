// What the tuner remembers per 2 MiB unit, beyond the kernel:
// - units it collapsed, so that a later split (a garbage collector discarding pages, a
//   partial munmap or mprotect) is seen as churn and the unit is backed off exponentially
//   instead of being collapsed over and over;
// - units whose collapse failed for a passing reason (EAGAIN, ENOMEM, EBUSY: a page not on
//   an LRU list yet or locked, no free huge page, a memory cgroup at its limit): a first
//   failure is retried at the unit's next probe window, as such failures usually clear at
//   once; from the second in a row the unit is backed off exponentially like churn, so one
//   that keeps failing is not retried at every application;
// - units the kernel refused with EINVAL (the mapping cannot hold a huge page), keyed by
//   their mapping so that they are retried only if the mapping changes;
// - units whose probe window is open (lib/tuner/backend.ts probe): only a later probe of
//   them says whether the unit itself is written, as a DAMON region at the hot set's edge
//   can hold cold units next to hot ones;
// - the bloat bound: a unit with more than maxPtesNone absent pages is not collapsed
//   (khugepaged's max_ptes_none defaults to 511, which allows 99.8% zero-fill).
import type { UnitState } from './backend.js';

/**
 * The verdict on a unit its source observes in windows of its own ('window' evidence): left
 * alone when a window saw none of its pages used. A unit not observed follows its region only
 * when the region is known to be uniformly hot: windows saw some of its units used and none
 * unused. Otherwise the region may mix hot and cold memory (it straddles the edge of a hot
 * set, or it was split off a region that did), and its unobserved units wait until a window
 * observes them, instead of being collapsed cold.
 */
export function observedVerdict(used: number | null, regionUniform: boolean): 'hot' | 'skipped-cold' | 'skipped-unprobed' {
  if (used === 0) return 'skipped-cold';
  if (used === null && !regionUniform) return 'skipped-unprobed';
  return 'hot';
}

export type UnitVerdict = 'work' | 'already-huge' | 'skipped-bloat' | 'skipped-churn' | 'skipped-refused' | 'skipped-retry';

/** Collapse outcomes that may succeed later: retried after a back-off. */
const TRANSIENT_FAILURES = new Set(['EAGAIN', 'ENOMEM', 'EBUSY', 'failed']);

interface FailureRecord {
  failures: number;
  retryAtMs: number;
}

interface ChurnRecord {
  collapsedAtMs: number;
  splits: number;
  backoffUntilMs: number;
}

export interface LedgerSettings {
  maxPtesNone: number;
  churnBackoffMs: number;
  churnBackoffMaxMs: number;
}

export class UnitLedger {
  settings: LedgerSettings;
  readonly #collapsed = new Map<number, ChurnRecord>();
  readonly #refused = new Map<number, string>();
  readonly #failed = new Map<number, FailureRecord>();
  readonly #probing = new Set<number>();
  /** Splits of units this tuner had collapsed, since start. */
  splitsSeen = 0;

  constructor(settings: LedgerSettings) {
    this.settings = settings;
  }

  /**
   * The verdict for a unit given its residency now; notes a split of a unit this tuner
   * collapsed and still believed huge (churn), doubling its back-off each time.
   */
  classify(u: UnitState, mappingKey: string, nowMs: number): UnitVerdict {
    const refusedIn = this.#refused.get(u.address);
    if (refusedIn !== undefined) {
      if (refusedIn === mappingKey) return 'skipped-refused';
      this.#refused.delete(u.address);
    }
    const record = this.#collapsed.get(u.address);
    if (u.huge) return 'already-huge';
    if (record !== undefined) {
      // First sight of it split since its last collapse: one more churn, a doubled back-off.
      if (record.backoffUntilMs <= record.collapsedAtMs) {
        record.splits += 1;
        this.splitsSeen += 1;
        const wait = Math.min(this.settings.churnBackoffMaxMs, this.settings.churnBackoffMs * 2 ** (record.splits - 1));
        record.backoffUntilMs = nowMs + wait;
      }
      if (nowMs < record.backoffUntilMs) return 'skipped-churn';
    }
    const failure = this.#failed.get(u.address);
    if (failure !== undefined && nowMs < failure.retryAtMs) return 'skipped-retry';
    if (512 - u.residentPages > this.settings.maxPtesNone) return 'skipped-bloat';
    return 'work';
  }

  /**
   * The verdict of a unit's probe: `touched` pages since its previous probe, null when it
   * cannot be probed. A first probe only opens the window (pages never marked read as touched).
   */
  verify(address: number, touched: number | null): 'hot' | 'skipped-cold' | 'skipped-unprobed' {
    if (touched === null) {
      this.#probing.delete(address);
      return 'skipped-unprobed';
    }
    if (!this.#probing.has(address)) {
      this.#probing.add(address);
      return 'skipped-unprobed';
    }
    return touched > 0 ? 'hot' : 'skipped-cold';
  }

  /** A new monitor (a new sampler) marked nothing yet: every unit's next probe opens a new window. */
  forgetProbes(): void {
    this.#probing.clear();
  }

  /** Records what a collapse did. */
  noteCollapse(address: number, outcome: string, mappingKey: string, nowMs: number): void {
    // Collapse cleared the unit's marks (write-protection): its next probe opens a new window.
    this.#probing.delete(address);
    if (TRANSIENT_FAILURES.has(outcome)) {
      const failures = (this.#failed.get(address)?.failures ?? 0) + 1;
      const wait = failures === 1 ? 0 : Math.min(this.settings.churnBackoffMaxMs, this.settings.churnBackoffMs * 2 ** (failures - 2));
      this.#failed.set(address, { failures, retryAtMs: nowMs + wait });
      return;
    }
    this.#failed.delete(address);
    if (outcome === 'collapsed') {
      const r = this.#collapsed.get(address);
      if (r) r.collapsedAtMs = nowMs;
      else this.#collapsed.set(address, { collapsedAtMs: nowMs, splits: 0, backoffUntilMs: 0 });
    } else if (outcome === 'EINVAL') {
      this.#refused.set(address, mappingKey);
    }
  }

  /** Units in back-off now. */
  backedOff(nowMs: number): number {
    let n = 0;
    for (const r of this.#collapsed.values()) if (r.backoffUntilMs > nowMs) n++;
    return n;
  }

  refusedUnits(): number {
    return this.#refused.size;
  }

  /** Forgets units of mappings that are gone. */
  retain(isLive: (address: number) => boolean): void {
    for (const a of this.#collapsed.keys()) if (!isLive(a)) this.#collapsed.delete(a);
    for (const a of this.#refused.keys()) if (!isLive(a)) this.#refused.delete(a);
    for (const a of this.#failed.keys()) if (!isLive(a)) this.#failed.delete(a);
    for (const a of this.#probing) if (!isLive(a)) this.#probing.delete(a);
  }
}
