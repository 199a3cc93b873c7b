// One scheme applied to one aggregation snapshot: DAMOS's per-apply-interval flow
// (Documentation/mm/damon/design.rst, "Regions Walking") with the quota machinery (quotas, goals, watermarks), on the tuner's backend.
//
// Deliberate differences from the kernel, each documented in docs/admin-guide.md:
// - `scoring: 'hot'` (default) orders regions by the kernel's hot score, so the quota goes to
//   the hottest regions first; `'kernel'` keeps the kernel's constant score (address order
//   from the resume marker).
// - Collapse works in whole 2 MiB units: truncation aligns to a unit (the kernel aligns to
//   4 KiB, and a collapse of a non-2 MiB piece does nothing), and only units that need work
//   are charged: already-huge units and units skipped by the bloat bound, the churn guard or
//   the EINVAL memory cost no system call and no quota.
// - A unit is collapsed only if it is itself hot: a probe of the unit (the sampler's own
//   mechanism, lib/tuner/backend.ts) must see pages of it written (accessed, sim) since
//   its previous probe, an application earlier. A region's access rate is its sampling
//   pages', so a region at the hot set's edge may hold cold units; they are skipped. The
//   kernel's DAMON (another process) leaves no per-unit trace: there the region's rate stands
//   for all its units.
// - With goals, a window whose score says the goal is met applies nothing (the kernel still
//   applies min_region_sz per window when a time quota is set).
// - The time quota is also a hard stop inside a window: collapse calls are batched by the
//   measured cost per unit and none starts once the window's action time is used.
// - The monitor owns its regions, so a non-stat action does not reset their age.
import type { NormalizedScheme } from '../config/options.js';
import { adjustQuota, allowedBytes, charge, initialQuotaState, quotaExhausted, throughputBytesPerMs, windowDue, type QuotaSettings, type QuotaState } from '../quota/effective-quota.js';
import { goalScore } from '../quota/goals.js';
import { hotScore, minScore, scoreHistogram } from '../quota/priority.js';
import { nextWatermarkState } from '../quota/watermarks.js';
import { matchesPattern, maxNrAccesses, snapshotIntervals, toRawPattern } from './access-pattern.js';
import { KERNEL_CONSTANT_SCORE } from './actions.js';
import { filtersPass, splitAtFilterBounds, type RegionFilter } from './filters.js';
import { fromMarker } from './resume-marker.js';
import { emptyStats, recordTry, type SchemeStats, type TriedRegion } from './stats.js';
import type { MonitorSnapshot } from '../monitor/snapshot.js';
import { UNIT_BYTES, type TunerBackend, type UnitCollapse } from '../tuner/backend.js';
import { unitsOfRegion, type EligibleSpan } from '../tuner/eligibility.js';
import type { GoalMetrics } from '../tuner/metrics.js';
import { observedVerdict, type UnitLedger } from '../tuner/unit-ledger.js';

export interface Candidate {
  start: number;
  end: number;
  nrAccesses: number;
  age: number;
  score: number;
  mappingKey: string;
}

/** What one application did (the `apply` event). */
export interface ApplyReport {
  scheme: number;
  aggregation: number;
  /** Why nothing was applied, if so. */
  skipped: 'watermark' | 'goal-met' | null;
  esz: number;
  minScore: number;
  candidates: number;
  tried: TriedRegion[];
  /** Addresses of the units collapsed, in the order they were. */
  collapsedUnits: bigint[];
  /** Bytes charged to this window so far and action time spent in it. */
  windowChargedBytes: number;
  windowActionMs: number;
}

/** A quota window opened (the `quota` event). */
export interface QuotaReport {
  scheme: number;
  /** Goal score in basis points (10000 = met), null without goals. */
  score: number | null;
  currentValues: number[];
  esz: number;
  throughputBytesPerMs: number;
  quotaExceeds: number;
}

export interface ApplyContext {
  snapshot: MonitorSnapshot;
  spans: readonly EligibleSpan[];
  backend: TunerBackend;
  ledger: UnitLedger;
  metrics: GoalMetrics;
  readFreeMemRate: () => Promise<number>;
  onQuota: (q: QuotaReport) => void;
}

const CUT = (c: Candidate, at: number): [Candidate, Candidate] => [
  { ...c, end: at },
  { ...c, start: at },
];

export class SchemeRunner {
  readonly index: number;
  scheme: NormalizedScheme;
  readonly quota: QuotaState = initialQuotaState();
  readonly stats: SchemeStats = emptyStats();
  lastTried: TriedRegion[] = [];
  #resumeMarker: number | null = null;
  #lastScore = 0n;
  #windowActionMs = 0;
  #windowUnits = 0;
  #active = true;
  #nextWatermarkCheckMs = -Infinity;

  constructor(index: number, scheme: NormalizedScheme) {
    this.index = index;
    this.scheme = scheme;
  }

  quotaSettings(): QuotaSettings {
    const q = this.scheme.quota;
    return { ms: q.ms, sz: q.sz, resetIntervalMs: q.resetIntervalMs, hasGoals: q.goals.length > 0, tuner: q.tuner, minRegionSz: this.scheme.action === 'collapse' ? UNIT_BYTES : 4096 };
  }

  /** Address filters with their bounds rounded to the nearest unit boundary (the kernel aligns them to its minimum region). */
  get #unitFilters(): RegionFilter[] {
    const round = (a: bigint | undefined) => (a === undefined ? a : Math.round(Number(a) / UNIT_BYTES) * UNIT_BYTES);
    return this.scheme.filters.map(({ start, end, ...f }) => (f.type === 'addr' ? { ...f, start: round(start) as number, end: round(end) as number } : f));
  }

  /** The candidates of a snapshot: the eligible units of pattern-matched regions, filtered, with their region's score. */
  candidates(snapshot: MonitorSnapshot, spans: readonly EligibleSpan[]): Candidate[] {
    const intervals = snapshotIntervals(snapshot);
    const pattern = toRawPattern(this.scheme.pattern, intervals);
    const maxNr = maxNrAccesses(intervals);
    const filters = this.#unitFilters;
    const out: Candidate[] = [];
    for (const r of snapshot.regions) {
      // Unit arithmetic runs on numbers: user-space addresses stay below 2^48, exact in a double.
      const region = { ...r, start: Number(r.start), end: Number(r.end) };
      if (!matchesPattern(region, pattern)) continue;
      const score = this.scheme.scoring === 'kernel' ? KERNEL_CONSTANT_SCORE : hotScore(r, maxNr, intervals.aggregationIntervalUs, this.scheme.quota.weights);
      for (const piece of unitsOfRegion(spans, region.start, region.end)) {
        for (const [start, end] of splitAtFilterBounds(filters, piece.start, piece.end)) {
          if (!filtersPass(filters, { start, end, anonymous: true })) continue;
          out.push({ start, end, nrAccesses: r.nrAccesses, age: r.age, score, mappingKey: piece.mappingKey });
        }
      }
    }
    return out;
  }

  /** Orders candidates: from the resume marker in address order, hottest first with `scoring: 'hot'`. */
  order(candidates: Candidate[]): Candidate[] {
    const rotated = fromMarker(candidates, this.#resumeMarker, CUT).filter((c) => c.end > c.start);
    if (this.scheme.scoring === 'hot') rotated.sort((a, b) => b.score - a.score); // stable: address order from the marker within a score
    return rotated;
  }

  async apply(ctx: ApplyContext): Promise<ApplyReport> {
    const now = ctx.backend.nowMs();
    const q = this.quotaSettings();
    const report: ApplyReport = {
      scheme: this.index,
      aggregation: ctx.snapshot.aggregation,
      skipped: null,
      esz: 0,
      minScore: 0,
      candidates: 0,
      tried: [],
      collapsedUnits: [],
      windowChargedBytes: 0,
      windowActionMs: 0,
    };
    if (this.scheme.watermarks.metric !== 'none' && now >= this.#nextWatermarkCheckMs) {
      const next = nextWatermarkState(this.scheme.watermarks, this.#active, await ctx.readFreeMemRate());
      this.#active = next.active;
      this.#nextWatermarkCheckMs = now + next.waitMs;
    }
    this.lastTried = report.tried;
    if (!this.#active) return { ...report, skipped: 'watermark' };

    if (windowDue(q, this.quota, now)) {
      const goals = this.scheme.quota.goals;
      const values = await Promise.all(goals.map((g) => ctx.metrics.current(g)));
      this.#lastScore = goals.length > 0 ? goalScore(goals, values) : 0n;
      if (adjustQuota(q, this.quota, ctx.backend.nowMs(), this.#lastScore)) {
        this.#windowActionMs = 0;
        this.#windowUnits = 0;
        this.stats.quotaExceeds = this.quota.quotaExceeds;
        ctx.onQuota({
          scheme: this.index,
          score: goals.length > 0 ? Number(this.#lastScore) : null,
          currentValues: values,
          esz: Number(this.quota.esz),
          throughputBytesPerMs: Number(throughputBytesPerMs(this.quota)),
          quotaExceeds: this.quota.quotaExceeds,
        });
      }
    }
    report.esz = Number(this.quota.esz);
    if (this.scheme.quota.goals.length > 0 && this.#lastScore >= 10_000n) return this.#finish({ ...report, skipped: 'goal-met' });

    const candidates = this.candidates(ctx.snapshot, ctx.spans);
    report.candidates = candidates.length;
    report.minScore = minScore(scoreHistogram(candidates.map((c) => ({ score: c.score, bytes: c.end - c.start }))), this.quota.esz);
    // The kernel skips regions below min_score; with hot-first ordering the quota runs out before them anyway.
    const ordered = this.order(this.scheme.scoring === 'kernel' ? candidates.filter((c) => c.score >= report.minScore) : candidates);
    for (const c of ordered) {
      if (quotaExhausted(q, this.quota) || this.#timeUsed()) break;
      await this.#applyTo(c, ctx, q, report);
    }
    return this.#finish(report);
  }

  #finish(report: ApplyReport): ApplyReport {
    report.windowChargedBytes = Number(this.quota.chargedSz);
    report.windowActionMs = this.#windowActionMs;
    return report;
  }

  #timeUsed(): boolean {
    return this.scheme.quota.ms > 0 && this.#windowActionMs >= this.scheme.quota.ms;
  }

  async #applyTo(c: Candidate, ctx: ApplyContext, q: QuotaSettings, report: ApplyReport): Promise<void> {
    const tried: TriedRegion = { start: BigInt(c.start), end: BigInt(c.end), nrAccesses: c.nrAccesses, age: c.age, score: c.score, triedBytes: 0, appliedBytes: 0 };
    if (this.scheme.action !== 'collapse') {
      const bytes = allowedBytes(q, this.quota, c.end - c.start);
      const t0 = performance.now();
      const applied = bytes === 0 || this.scheme.action === 'stat' ? 0 : await ctx.backend.advise(c.start, c.start + bytes, this.scheme.action);
      this.#account(tried, bytes, applied, performance.now() - t0, c.start + bytes, report);
      return;
    }
    const now = ctx.backend.nowMs();
    const needsWork: number[] = [];
    for (const u of await ctx.backend.residency(c.start, c.end)) {
      const verdict = ctx.ledger.classify(u, c.mappingKey, now);
      if (verdict === 'work') needsWork.push(u.address);
      else this.stats.units[verdict] += 1;
    }
    const work: number[] = [];
    const evidence = ctx.backend.unitEvidence;
    if (evidence === 'none') {
      work.push(...needsWork); // no per-unit evidence: the region's access rate stands for its units
    } else {
      // Window evidence counts from when the region took its current access rate (DAMON's
      // age, in aggregations): a unit seen idle before the region turned hot is not idle now.
      // The source's last window always counts: the region's rate is no newer than it.
      const since = (c.age + 1) * ctx.snapshot.aggregationIntervalMs;
      const touched = needsWork.length === 0 ? [] : await ctx.backend.probe(needsWork, since);
      // The region's rate is no evidence that it is uniform: with windows seconds apart and
      // aggregations of 100 ms, a region split off since the last window is rated by the cells
      // armed for its parent, which may all lie on the hot side of an edge it straddles.
      const regionUniform = touched.some((used) => used !== null) && !touched.includes(0);
      needsWork.forEach((address, i) => {
        const verdict = evidence === 'probe' ? ctx.ledger.verify(address, touched[i] ?? null) : observedVerdict(touched[i] ?? null, regionUniform);
        if (verdict === 'hot') work.push(address);
        else this.stats.units[verdict] += 1;
      });
    }
    if (work.length === 0) return;
    let allowed = Math.floor(allowedBytes(q, this.quota, work.length * UNIT_BYTES) / UNIT_BYTES);
    if (allowed === 0) {
      this.#account(tried, 0, 0, 0, c.start, report); // the kernel's zero-byte try
      return;
    }
    let triedUnits = 0;
    let appliedBytes = 0;
    let actionMs = 0;
    let lastEnd = c.start;
    while (triedUnits < allowed) {
      const batch = this.#batch(work, triedUnits, allowed, actionMs, triedUnits);
      if (batch.length === 0) break;
      const first = batch[0] as number;
      const end = (batch.at(-1) as number) + UNIT_BYTES;
      const results: UnitCollapse[] = await ctx.backend.collapse(first, end);
      for (const r of results) {
        // A backend's outcome is one of the unit outcomes, by the same name.
        this.stats.units[r.outcome] += 1;
        ctx.ledger.noteCollapse(r.address, r.outcome, c.mappingKey, ctx.backend.nowMs());
        actionMs += r.elapsedMs;
        if (r.outcome === 'collapsed') {
          report.collapsedUnits.push(BigInt(r.address));
          appliedBytes += UNIT_BYTES;
          this.stats.addedBytes += (512 - r.residentPagesBefore) * 4096;
        }
      }
      triedUnits += batch.length;
      lastEnd = end;
    }
    allowed = triedUnits;
    this.#account(tried, allowed * UNIT_BYTES, appliedBytes, actionMs, lastEnd, report);
  }

  /**
   * The next contiguous run of work units, no longer than what the window's time quota still
   * allows at the cost per unit measured so far (this window's, else the throughput of past
   * windows); one unit at a time before anything was measured. Empty when the time left
   * would not pay for one more unit.
   */
  #batch(work: readonly number[], from: number, allowed: number, pendingMs: number, pendingUnits: number): number[] {
    let limit = allowed - from;
    if (this.scheme.quota.ms > 0) {
      const units = this.#windowUnits + pendingUnits;
      const measured = this.quota.totalChargedNs > 0n || units > 0;
      const msPerUnit = units > 0 ? (this.#windowActionMs + pendingMs) / units : UNIT_BYTES / Number(throughputBytesPerMs(this.quota));
      const left = this.scheme.quota.ms - this.#windowActionMs - pendingMs;
      limit = measured ? Math.min(limit, Math.floor(left / Math.max(msPerUnit, 1e-6))) : Math.min(limit, 1);
      if (left <= 0) limit = 0;
    }
    if (limit <= 0) return [];
    const run = [work[from] as number];
    while (run.length < limit && work[from + run.length] === (run.at(-1) as number) + UNIT_BYTES) run.push(work[from + run.length] as number);
    return run;
  }

  #account(tried: TriedRegion, bytes: number, applied: number, actionMs: number, end: number, report: ApplyReport): void {
    charge(this.quota, bytes, BigInt(Math.round(actionMs * 1e6)));
    this.#windowActionMs += actionMs;
    if (this.scheme.action === 'collapse') this.#windowUnits += bytes / UNIT_BYTES;
    this.stats.actionMs += actionMs;
    recordTry(this.stats, bytes, applied);
    tried.triedBytes = bytes;
    tried.appliedBytes = applied;
    report.tried.push(tried);
    if (quotaExhausted(this.quotaSettings(), this.quota)) this.#resumeMarker = end;
  }
}
