// HugepageTuner: keeps a process's hot memory on 2 MiB pages as far as its goals ask, at a
// bounded cost. An AccessMonitor (DAMON's sampler, on its own native thread) delivers
// aggregation snapshots; each due scheme (lib/schemes/scheme-runner.ts, the DAMOS engine this
// module sits on as mm/damon/reclaim.c sits on DAMOS) turns one into actions on the backend,
// which holds the access source and acts through it or lib/memory. Errors never escape into the host:
// they become `error` events (or stats().lastError when nobody listens). Snapshots, collapses
// and quota windows also go to diagnostics_channel subscribers (./channels.ts).
import { EventEmitter } from 'node:events';
import { normalizeTunerOptions, type NormalizedTunerOptions, type TunerOptions, type TunerSourceOptions } from '../config/options.js';
import { InvalidArgumentError, NotSupportedError } from '../errors.js';
import { AccessMonitor } from '../monitor/access-monitor.js';
import type { MonitorSnapshot } from '../monitor/snapshot.js';
import type { AccessMonitorOptions } from '../monitor/options.js';
import { KernelDamonSource } from '../sources/kernel-damon.js';
import { PagemapSource } from '../sources/pagemap.js';
import type { ReferencedSource } from '../sources/referenced.js';
import { ownMemorySource } from '../sources/own-memory.js';
import { SimulatedSource } from '../sources/sim.js';
import { snapshotIntervals } from '../schemes/access-pattern.js';
import { dueAt } from '../schemes/apply-interval.js';
import type { SchemeStats, TriedRegion } from '../schemes/stats.js';
import type { TunerBackend } from './backend.js';
import { publishApply, publishQuota, publishSnapshot } from './channels.js';
import { eligibility, type EligibilityReport } from './eligibility.js';
import { MemoryBackend } from './memory-backend.js';
import { GoalMetrics, readFreeMemRate } from './metrics.js';
import { SchemeRunner, type ApplyReport, type QuotaReport } from '../schemes/scheme-runner.js';
import { SimBackend } from './sim-backend.js';
import { UnitLedger } from './unit-ledger.js';

export interface HugepageTunerEvents {
  aggregate: [MonitorSnapshot];
  apply: [ApplyReport];
  quota: [QuotaReport];
  error: [Error];
}

export interface SchemeStatus {
  action: string;
  stats: SchemeStats;
  /** Effective size quota of the current window and what was charged to it. */
  effectiveQuotaBytes: number;
  windowChargedBytes: number;
  /** Regions tried at the last application. */
  lastTried: TriedRegion[];
}

export interface TunerStats {
  running: boolean;
  aggregations: number;
  /** Snapshots that arrived while the previous one was still being applied (skipped). */
  skippedSnapshots: number;
  schemes: SchemeStatus[];
  /** What of the target's anonymous memory the tuner can help: mappings holding whole aligned 2 MiB units or not. */
  eligibility: Omit<EligibilityReport, 'spans'> & { refusedUnits: number; backedOffUnits: number; churnSplits: number };
  lastError: Error | null;
}

function spansKey(e: EligibilityReport): string {
  return e.spans.map((s) => s.mappingKey).join(',');
}

/** The eligible spans as a monitor target's ranges. */
function spanRanges(e: EligibilityReport): { start: number; end: number }[] {
  return e.spans.map((sp) => ({ start: sp.start, end: sp.end }));
}

export class HugepageTuner extends EventEmitter<HugepageTunerEvents> {
  #options: NormalizedTunerOptions;
  #monitor: AccessMonitor | null = null;
  #monitorSpansKey = '';
  #launching: Promise<void> | null = null;
  #retry: NodeJS.Timeout | null = null;
  #stopped = true;
  /**
   * Bumped by every start() and stop(): a launch or relaunch still awaiting the target's
   * mappings installs its monitor only while the run it began in is the current one, so an
   * interleaved stop()/start() can never leave a second (orphan) monitor running.
   */
  #run = 0;
  /** The run whose launch installed #monitor (real memory). */
  #monitorRun = 0;
  /** The access source on real memory, as described; null for a simulated process. */
  #realSource: Exclude<TunerSourceOptions, { kind: 'sim' }> | null = null;
  /** The watched process (real memory). */
  #pid = process.pid;
  readonly #backend: TunerBackend;
  readonly #metrics: GoalMetrics;
  readonly #ledger: UnitLedger;
  #runners: SchemeRunner[];
  #eligibility: EligibilityReport = { spans: [], eligibleAnonymousBytes: 0, ineligibleAnonymousBytes: 0, eligibleUnitBytes: 0 };
  #nextEligibilityMs = -Infinity;
  #aggregations = 0;
  #skipped = 0;
  #busy: Promise<void> | null = null;
  #lastError: Error | null = null;
  #abort: { signal: AbortSignal; listener: () => void } | undefined;

  constructor(options: TunerOptions = {}) {
    super();
    this.#options = normalizeTunerOptions(options);
    const o = this.#options;
    if (o.source.kind !== 'sim') {
      // Another process can only be watched by the kernel's DAMON (the referenced and pagemap
      // sources sample their own process).
      const self = o.pid === 'self' || o.pid === process.pid;
      this.#realSource = self ? o.source : { kind: 'damon' };
      this.#pid = self ? process.pid : (o.pid as number);
      if (this.#realSource.kind === 'damon') {
        // Fails now (NotSupportedError, NoSuchProcessError) rather than at start(); creating a
        // monitor only probes, read-only: the kdamond is set up when it starts.
        try {
          new AccessMonitor({ source: new KernelDamonSource({ pid: this.#pid }) });
        } catch (e) {
          if (e instanceof NotSupportedError) throw new NotSupportedError(self ? 'the damon source' : 'tuning another process', e.reason, { cause: e });
          throw e;
        }
      }
      // The monitor and its source are created at start(), on the eligible spans (see #launch).
      this.#backend = new MemoryBackend(o.pid);
    } else {
      // The simulated process's mappings are its target ranges (DAMON's fvaddr).
      const ranges = o.source.mappings.map((m) => ({ start: Number(m.start), end: Number(m.end) }));
      const { kind: _sim, ...simulated } = o.source;
      const source = new SimulatedSource(simulated);
      this.#monitor = this.#newMonitor({ source, targets: [{ ranges }] });
      this.#backend = new SimBackend(source, ranges);
    }
    this.#metrics = new GoalMetrics(this.#backend);
    this.#ledger = new UnitLedger({ maxPtesNone: o.maxPtesNone, churnBackoffMs: o.churnBackoffMs, churnBackoffMaxMs: o.churnBackoffMaxMs });
    this.#runners = o.schemes.map((s, i) => new SchemeRunner(i, s));
    const signal = options.signal;
    if (signal !== undefined) this.#abort = { signal, listener: () => void this.stop() };
  }

  /** The options in force, normalized. */
  get options(): NormalizedTunerOptions {
    return this.#options;
  }

  /**
   * The access monitor the tuner runs (its snapshots, attributes, and its `source`, whose
   * methods act on the memory); null before start() on real memory.
   */
  get monitor(): AccessMonitor | null {
    return this.#monitor;
  }

  get running(): boolean {
    return !this.#stopped;
  }

  /** A monitor with the tuner's monitoring attributes, its snapshots feeding the schemes. */
  #newMonitor(extra: Pick<AccessMonitorOptions, 'source' | 'targets'>): AccessMonitor {
    const m = this.#options.monitoring;
    const monitor = new AccessMonitor({
      monitoring: {
        sampleInterval: m.sampleIntervalMs,
        aggregationInterval: m.aggregationIntervalMs,
        opsUpdateInterval: m.opsUpdateIntervalMs,
        minRegions: m.minRegions,
        maxRegions: m.maxRegions,
      },
      seed: this.#options.seed,
      ...extra,
    });
    // A stopped or replaced monitor may still deliver a last snapshot while its thread winds
    // down: only the current run's monitor feeds the schemes (the simulated process is
    // stepped, so this listener never fires for it).
    monitor.on('aggregate', (s) => {
      if (monitor === this.#monitor && this.#monitorRun === this.#run) this.#onSnapshot(s);
    });
    // The monitor reports an error only when its thread has stopped on it.
    monitor.on('error', (e) => (monitor === this.#monitor ? this.#endRun(this.#monitorRun, e) : this.#fail(e)));
    return monitor;
  }

  /**
   * Real memory: the monitor watches only the eligible spans (mappings holding whole aligned
   * units), as DAMON's fvaddr does with fixed ranges, so its regions are not spent on memory
   * that can never be huge. With no eligible memory yet it looks again after an ops update
   * interval. `run` is the run (see #run) it belongs to. Never rejects.
   */
  async #launch(run: number): Promise<void> {
    try {
      const mappings = await this.#backend.anonymousMappings();
      if (run !== this.#run) return;
      this.#eligibility = eligibility(mappings);
      this.#nextEligibilityMs = this.#backend.nowMs() + this.#options.monitoring.opsUpdateIntervalMs;
      const ranges = spanRanges(this.#eligibility);
      if (ranges.length === 0) {
        this.#retry = setTimeout(() => {
          this.#retry = null;
          this.#launching = this.#launch(run);
        }, this.#options.monitoring.opsUpdateIntervalMs).unref();
        return;
      }
      // A source feeds one monitor: each launch watches the new spans with a source of its own.
      const sampler = this.#realSource?.kind === 'damon' ? null : this.#sampler();
      const monitor = this.#newMonitor({ source: sampler ?? new KernelDamonSource({ pid: this.#pid }), targets: [{ ranges }] });
      this.#monitor = monitor;
      this.#monitorRun = run;
      if (this.#backend instanceof MemoryBackend) this.#backend.sampler = sampler;
      const pagemap = sampler instanceof PagemapSource ? sampler : null;
      this.#ledger.forgetProbes(); // the previous sampler's write-protection went with it
      this.#monitorSpansKey = spansKey(this.#eligibility);
      // Sampling a huge page write-protects it, and the next write would split it again.
      pagemap?.sampleHugePages(false);
      monitor.start();
    } catch (e) {
      this.#endRun(run, e);
    }
  }

  /**
   * A source of this process's memory: referenced (reads and writes), falling back to pagemap
   * (writes only) on a kernel without it, for this and every later launch.
   */
  #sampler(): ReferencedSource | PagemapSource {
    if (this.#realSource?.kind !== 'referenced') return ownMemorySource('pagemap');
    const { kind: _referenced, ...options } = this.#realSource;
    const source = ownMemorySource('referenced', options);
    if (source instanceof PagemapSource) this.#realSource = { kind: 'pagemap' };
    return source;
  }

  /**
   * A launch that failed, or a monitor that stopped on an error, leaves nothing monitoring:
   * the run ends (`running` turns false) and the error is reported. start() may try again.
   */
  #endRun(run: number, e: unknown): void {
    if (run === this.#run && !this.#stopped) {
      this.#abort?.signal.removeEventListener('abort', this.#abort.listener);
      this.#stopped = true;
      this.#run += 1;
    }
    this.#fail(e);
  }

  /** Starts monitoring and tuning (real memory). Nothing it schedules keeps the process alive. */
  start(): this {
    if (this.#backend instanceof SimBackend) {
      throw new NotSupportedError('start() with a simulated process', 'the simulated process runs only while stepped: use step(samples)');
    }
    if (this.#abort?.signal.aborted || !this.#stopped) return this;
    this.#abort?.signal.addEventListener('abort', this.#abort.listener, { once: true });
    this.#stopped = false;
    this.#launching = this.#launch(++this.#run);
    return this;
  }

  /**
   * Stops monitoring; resolves when the monitor thread and any application in flight have
   * ended. The monitor it stops is the one running now: a start() called before this
   * resolves begins a new run with a monitor of its own.
   */
  async stop(): Promise<void> {
    this.#abort?.signal.removeEventListener('abort', this.#abort.listener);
    this.#stopped = true;
    this.#run += 1;
    if (this.#retry !== null) clearTimeout(this.#retry);
    this.#retry = null;
    const launching = this.#launching;
    const monitor = this.#monitor;
    await launching;
    await monitor?.stop();
    await this.#busy;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /**
   * Simulated process only: runs `samples` sampling intervals of the monitor and applies the
   * schemes to each snapshot as it completes. Returns the application reports.
   */
  async step(samples: number): Promise<ApplyReport[]> {
    if (!(this.#backend instanceof SimBackend) || this.#monitor === null) {
      throw new NotSupportedError('step()', 'only a simulated process is stepped; real memory runs with start()');
    }
    if (!Number.isInteger(samples) || samples < 0 || samples > 1e9) throw new InvalidArgumentError('samples', 'an integer from 0 to 1e9', samples);
    const reports: ApplyReport[] = [];
    const onApply = (r: ApplyReport) => reports.push(r);
    this.on('apply', onApply);
    try {
      // One sample at a time, so that each snapshot is applied before the workload runs on
      // (as on real memory): a unit probe's window then spans the samples between applications.
      for (let i = 0; i < samples; i++) {
        for (const s of this.#monitor.step(1)) {
          this.#backend.advance(s.aggregationIntervalMs);
          this.emit('aggregate', s);
          publishSnapshot(this, s);
          await this.#process(s);
        }
      }
    } finally {
      this.off('apply', onApply);
    }
    return reports;
  }

  /** The value of `user_input` goals (the kernel RFC's quota_autotune_feedback): the achieved value against the goal's target. */
  feedback(value: number): void {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > Number.MAX_SAFE_INTEGER) {
      throw new InvalidArgumentError('value', 'an integer from 0 to 2^53-1', value);
    }
    this.#metrics.userInput = value;
  }

  /**
   * Changes options while running (the RFC module's commit_inputs): monitoring intervals,
   * schemes (their statistics and quota state are kept), the bloat bound and churn back-off.
   * The target and the source cannot change.
   */
  update(partial: Omit<TunerOptions, 'pid' | 'source' | 'signal'>): void {
    // Validated first: it names a non-object argument `options` (a TypeError from `in` otherwise).
    const next = normalizeTunerOptions(partial, this.#options);
    for (const k of ['pid', 'source', 'signal'] as const) {
      if (k in (partial ?? {})) throw new InvalidArgumentError(k, 'absent in update(): create a new tuner to change it', (partial as Record<string, unknown>)[k]);
    }
    if (partial?.monitoring !== undefined && this.#monitor !== null) {
      this.#monitor.update({
        sampleInterval: next.monitoring.sampleIntervalMs,
        aggregationInterval: next.monitoring.aggregationIntervalMs,
        opsUpdateInterval: next.monitoring.opsUpdateIntervalMs,
        minRegions: next.monitoring.minRegions,
        maxRegions: next.monitoring.maxRegions,
      });
    }
    this.#runners = next.schemes.map((s, i) => {
      const runner = this.#runners[i] ?? new SchemeRunner(i, s);
      runner.scheme = s;
      return runner;
    });
    this.#ledger.settings = { maxPtesNone: next.maxPtesNone, churnBackoffMs: next.churnBackoffMs, churnBackoffMaxMs: next.churnBackoffMaxMs };
    this.#options = next;
  }

  stats(): TunerStats {
    const now = this.#backend.nowMs();
    const { spans: _spans, ...eligible } = this.#eligibility;
    return {
      running: this.running,
      aggregations: this.#aggregations,
      skippedSnapshots: this.#skipped,
      schemes: this.#runners.map((r) => ({
        action: r.scheme.action,
        stats: structuredClone(r.stats),
        effectiveQuotaBytes: Number(r.quota.esz),
        windowChargedBytes: Number(r.quota.chargedSz),
        lastTried: [...r.lastTried],
      })),
      eligibility: { ...eligible, refusedUnits: this.#ledger.refusedUnits(), backedOffUnits: this.#ledger.backedOff(now), churnSplits: this.#ledger.splitsSeen },
      lastError: this.#lastError,
    };
  }

  #onSnapshot(s: MonitorSnapshot): void {
    try {
      this.emit('aggregate', s);
      publishSnapshot(this, s);
    } catch (e) {
      this.#fail(e); // a throwing listener must not reach the monitor thread's callback
    }
    if (this.#busy !== null) {
      this.#skipped += 1;
      return;
    }
    this.#busy = this.#process(s).finally(() => {
      this.#busy = null;
    });
  }

  /**
   * Watches the eligible spans with a new monitor (monitoring history starts over): where
   * no monitor runs yet, no span is eligible any more, or the kernel's kdamond is the source
   * (its targets are set when it starts).
   */
  async #relaunch(): Promise<void> {
    const run = this.#run;
    const old = this.#monitor;
    this.#monitor = null;
    if (this.#backend instanceof MemoryBackend) this.#backend.sampler = null;
    await old?.stop();
    if (run === this.#run) this.#launching = this.#launch(run);
  }

  /** One snapshot through every due scheme; never rejects. */
  async #process(s: MonitorSnapshot): Promise<void> {
    try {
      this.#aggregations += 1;
      const now = this.#backend.nowMs();
      if (now >= this.#nextEligibilityMs) {
        this.#eligibility = eligibility(await this.#backend.anonymousMappings());
        this.#nextEligibilityMs = now + this.#options.monitoring.opsUpdateIntervalMs;
        const spans = this.#eligibility.spans;
        this.#ledger.retain((a) => spans.some((sp) => a >= sp.start && a < sp.end));
        if (this.#backend instanceof MemoryBackend && spansKey(this.#eligibility) !== this.#monitorSpansKey && !this.#stopped) {
          const ranges = spanRanges(this.#eligibility);
          if (this.#monitor !== null && ranges.length > 0 && this.#realSource?.kind !== 'damon') {
            // The eligible memory changed (a heap grew, a buffer was freed): the monitor
            // watches the new spans from its next sampling step, and regions still inside
            // them keep their history (damon_set_regions), so a hot set found stays found.
            this.#monitor.updateTargets([{ ranges }]);
            this.#monitorSpansKey = spansKey(this.#eligibility);
          } else {
            await this.#relaunch();
            return;
          }
        }
      }
      // DAMON starts from a few large regions and splits them every aggregation: acting on
      // the first snapshots would spend the quota on regions that mix hot and cold memory.
      if (s.aggregation <= this.#options.warmupAggregations) return;
      for (const runner of this.#runners) {
        if (!dueAt(s.aggregation, runner.scheme.applyIntervalMs * 1000, snapshotIntervals(s).aggregationIntervalUs)) continue;
        const report = await runner.apply({
          snapshot: s,
          spans: this.#eligibility.spans,
          backend: this.#backend,
          ledger: this.#ledger,
          metrics: this.#metrics,
          readFreeMemRate,
          onQuota: (q) => {
            this.emit('quota', q);
            publishQuota(this, q);
          },
        });
        this.emit('apply', report);
        publishApply(this, report);
      }
    } catch (e) {
      this.#fail(e);
    }
  }

  #fail(e: unknown): void {
    const error = e instanceof Error ? e : new Error(String(e));
    this.#lastError = error;
    if (this.listenerCount('error') > 0) {
      try {
        this.emit('error', error);
      } catch {
        // A throwing 'error' listener must not reach the monitor's callback or a timer.
      }
    }
  }
}
