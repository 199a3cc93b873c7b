// Time and size quotas, their charge windows and the effective size quota (Documentation/mm/damon/design.rst, "Quotas"):
// the kernel's damos_adjust_quota, damos_set_effective_quota and the charging done by
// damos_apply_scheme, as pure state transitions so that tests can check them by hand.
import { multFrac, ULONG_MAX } from './feed-loop.js';
import { nextEszBp, type GoalTuner } from './goal-tuners.js';

/** The throughput assumed before any action was timed: PAGE_SIZE × 1024 bytes per ms (4 MiB/ms). */
export const DEFAULT_THROUGHPUT_BYTES_PER_MS = 4096n * 1024n;

export interface QuotaSettings {
  /** Time quota: ms of action time per window; 0 = none. */
  ms: number;
  /** Size quota: bytes per window; 0 = none. */
  sz: number;
  /** Window length in ms. */
  resetIntervalMs: number;
  /** Whether goals are installed (their score comes from `score` of `startWindow`). */
  hasGoals: boolean;
  tuner: GoalTuner;
  /** The smallest unit charging truncates to (the kernel's min_region_sz; a 2 MiB unit for collapse). */
  minRegionSz: number;
}

export interface QuotaState {
  /** Effective size quota of the current window, bytes (ULONG_MAX = unlimited). */
  esz: bigint;
  /** The tuner's memory: esz × 10000. */
  eszBp: bigint;
  /** Bytes charged in the current window. */
  chargedSz: bigint;
  /** Start of the current window (ms); null before the first. */
  chargedFromMs: number | null;
  /** Bytes charged in finished windows and action time over all windows (the throughput estimate). */
  totalChargedSz: bigint;
  totalChargedNs: bigint;
  /** Windows that ended with the quota used up. */
  quotaExceeds: number;
}

export function initialQuotaState(): QuotaState {
  return { esz: 0n, eszBp: 0n, chargedSz: 0n, chargedFromMs: null, totalChargedSz: 0n, totalChargedNs: 0n, quotaExceeds: 0 };
}

/** quota_set in the kernel: any of time quota, size quota or goals. */
export function quotaIsSet(q: QuotaSettings): boolean {
  return q.ms > 0 || q.sz > 0 || q.hasGoals;
}

/** Measured bytes per ms of action time, or the 4 MiB/ms default before any was measured. */
export function throughputBytesPerMs(state: QuotaState): bigint {
  return state.totalChargedNs > 0n ? multFrac(state.totalChargedSz, 1_000_000n, state.totalChargedNs) : DEFAULT_THROUGHPUT_BYTES_PER_MS;
}

/** damos_set_effective_quota: new esz (and eszBp) from the goal score, the throughput and the caps. */
export function setEffectiveQuota(q: QuotaSettings, state: QuotaState, score: bigint): void {
  if (q.ms === 0 && !q.hasGoals) {
    state.esz = BigInt(q.sz);
    return;
  }
  let esz = ULONG_MAX;
  if (q.hasGoals) {
    state.eszBp = nextEszBp(q.tuner, state.eszBp, score, BigInt(q.sz));
    esz = state.eszBp / 10_000n;
  }
  if (q.ms > 0) {
    const byTime = throughputBytesPerMs(state) * BigInt(q.ms);
    esz = byTime < esz ? byTime : esz;
    const floor = BigInt(q.minRegionSz);
    esz = esz > floor ? esz : floor;
  }
  if (q.sz > 0 && BigInt(q.sz) < esz) esz = BigInt(q.sz);
  state.esz = esz;
}

/** Whether `nowMs` starts a new window (the first one included): goal metrics must be read before adjustQuota then. */
export function windowDue(q: QuotaSettings, state: QuotaState, nowMs: number): boolean {
  if (!quotaIsSet(q)) return false;
  return state.chargedFromMs === null || nowMs >= state.chargedFromMs + q.resetIntervalMs;
}

/**
 * damos_adjust_quota without the histogram: opens the first window, or closes the current one
 * when `reset_interval` has passed (counting a quota exceed, folding the charge into the
 * totals) and recomputes esz. Returns whether a new window started.
 */
export function adjustQuota(q: QuotaSettings, state: QuotaState, nowMs: number, score: bigint): boolean {
  if (!quotaIsSet(q)) return false;
  let started = false;
  if (state.totalChargedSz === 0n && state.chargedFromMs === null) {
    state.chargedFromMs = nowMs;
    setEffectiveQuota(q, state, score);
    started = true;
  }
  if (nowMs >= (state.chargedFromMs as number) + q.resetIntervalMs) {
    if (state.esz > 0n && state.chargedSz >= state.esz) state.quotaExceeds += 1;
    state.totalChargedSz += state.chargedSz;
    state.chargedFromMs = nowMs;
    state.chargedSz = 0n;
    setEffectiveQuota(q, state, score);
    started = true;
  }
  return started;
}

/** Whether the window's quota is used up (the kernel skips every further region then). */
export function quotaExhausted(q: QuotaSettings, state: QuotaState): boolean {
  return quotaIsSet(q) && state.chargedSz >= state.esz;
}

/**
 * How many bytes of a region of `size` may be tried (the kernel's truncation in
 * damos_apply_scheme): all of it if it fits in what is left of esz, else what is left aligned
 * down to minRegionSz (0 means "a zero-byte try": nothing fits).
 */
export function allowedBytes(q: QuotaSettings, state: QuotaState, size: number): number {
  if (!quotaIsSet(q)) return size;
  const sz = BigInt(size);
  if (state.chargedSz + sz <= state.esz) return size;
  const left = state.esz > state.chargedSz ? state.esz - state.chargedSz : 0n;
  const unit = BigInt(q.minRegionSz);
  return Number((left / unit) * unit);
}

/** Charges a try: its bytes to the window and its action time to the throughput estimate. */
export function charge(state: QuotaState, bytes: number, actionNs: bigint): void {
  state.chargedSz += BigInt(bytes);
  state.totalChargedNs += actionNs;
}
