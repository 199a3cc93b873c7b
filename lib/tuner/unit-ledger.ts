// What the tuner remembers per 2 MiB unit, beyond the kernel:
// - units it collapsed, so that a later split (a garbage collector discarding pages, a
//   partial munmap or mprotect) is seen as churn and the unit is backed off exponentially
//   instead of being collapsed over and over;
// - units the kernel refused with EINVAL (the mapping cannot hold a huge page), keyed by
//   their mapping so that they are retried only if the mapping changes;
// - the bloat bound: a unit with more than maxPtesNone absent pages is not collapsed
//   (khugepaged's max_ptes_none defaults to 511, which allows 99.8% zero-fill).
import type { UnitState } from './backend.js';

export type UnitVerdict = 'work' | 'alreadyHuge' | 'skippedBloat' | 'skippedChurn' | 'skippedRefused';

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
      if (refusedIn === mappingKey) return 'skippedRefused';
      this.#refused.delete(u.address);
    }
    const record = this.#collapsed.get(u.address);
    if (u.huge) return 'alreadyHuge';
    if (record !== undefined) {
      // First sight of it split since its last collapse: one more churn, a doubled back-off.
      if (record.backoffUntilMs <= record.collapsedAtMs) {
        record.splits += 1;
        this.splitsSeen += 1;
        const wait = Math.min(this.settings.churnBackoffMaxMs, this.settings.churnBackoffMs * 2 ** (record.splits - 1));
        record.backoffUntilMs = nowMs + wait;
      }
      if (nowMs < record.backoffUntilMs) return 'skippedChurn';
    }
    if (512 - u.residentPages > this.settings.maxPtesNone) return 'skippedBloat';
    return 'work';
  }

  /** Records what a collapse did. */
  noteCollapse(address: number, outcome: string, mappingKey: string, nowMs: number): void {
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
  }
}
