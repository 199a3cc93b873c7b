// AccessMonitor: DAMON's region-based access monitoring of one address space, running on
// its own native thread (native/core/monitor/, native/addon/access_monitor.cc). It keeps the
// lifecycle, snapshots and events only; where accesses come from, and what acts on the
// memory, is the source object it is given (lib/sources), as a DAMON context leaves both to
// its operations set.
import { EventEmitter } from 'node:events';
import { nativeBinding } from '../native/binding.js';
import { InvalidArgumentError, NotSupportedError, ThpError } from '../errors.js';
import { createNative, sourceBinding, type AccessSource } from '../sources/source.js';
import type { NativeAccessMonitor, NativeSnapshot } from './native.js';
import type { MonitorAttributesInForce, MonitorSnapshot } from './snapshot.js';
import { toNativeAttrs, toNativeOptions, toNativeTargets, type AccessMonitorOptions, type MonitorAttributes, type TargetOptions } from './options.js';

export interface AccessMonitorEvents {
  aggregate: [MonitorSnapshot];
  error: [Error];
}

/** The monitor thread ended because of a failure in its access source. */
export class MonitorFailedError extends ThpError {
  constructor(message: string) {
    super('ERR_THP_MONITOR_FAILED', `the access monitor stopped: ${message}`);
  }
}

/**
 * Running monitors of the kernel's DAMON. process.exit() skips the addon's environment
 * cleanup, and a kdamond, unlike the other sources' resources, outlives the process: one
 * 'exit' listener stops them (a blocking wait of up to one aggregation) so each gives its
 * kdamond back. A kill by a signal still leaves it running (docs/monitor.md).
 */
const runningKernelMonitors = new Set<NativeAccessMonitor>();
function stopKernelMonitorsAtExit(): void {
  for (const native of runningKernelMonitors) native.stopAtExit();
  runningKernelMonitors.clear();
}

/** A target of fixed ranges (an empty list means the whole address space, as no list does). */
const hasRanges = (t: { ranges?: unknown[] }): boolean => (t.ranges?.length ?? 0) > 0;

export class AccessMonitor<S extends AccessSource = AccessSource> extends EventEmitter<AccessMonitorEvents> {
  /** Where accesses come from, and what acts on the memory it watches. */
  readonly source: S;
  readonly #native: NativeAccessMonitor;
  readonly #signal: 'access' | 'write';
  readonly #kernel: boolean;
  /** Per target: whether it has fixed ranges (else it is the whole address space). */
  readonly #fixedTargets: boolean[];
  #stopping: Promise<void> | undefined;
  #resolveStop: (() => void) | undefined;
  #waiters: ((s: MonitorSnapshot | undefined) => void)[] = [];
  #abort: { signal: AbortSignal; listener: () => void } | undefined;

  constructor(options: AccessMonitorOptions<S>) {
    super();
    const nativeOptions = toNativeOptions(options);
    const binding = options.source[sourceBinding];
    // Binding the kernel's source sets up nothing yet, but finds out whether a kdamond can run here.
    this.#native = createNative('kernel DAMON access source', () => new (nativeBinding().AccessMonitor)(nativeOptions));
    this.#signal = this.#native.signal();
    this.#kernel = binding.kernel;
    this.#fixedTargets = nativeOptions.targets.map(hasRanges);
    this.source = options.source;
    if (options.signal !== undefined) {
      const signal = options.signal;
      if (!(signal instanceof AbortSignal)) throw new InvalidArgumentError('signal', 'an AbortSignal', signal);
      const listener = () => void this.stop();
      this.#abort = { signal, listener };
    }
  }

  /** What the access source observes: `'write'` for the pagemap source (writes only), else `'access'`. */
  get signal(): 'access' | 'write' {
    return this.#signal;
  }

  get running(): boolean {
    return this.#native.running();
  }

  /** Starts the monitor thread. It never keeps the process alive. */
  start(): this {
    if (this.#native.running()) return this;
    if (this.#abort?.signal.aborted) return this;
    this.#abort?.signal.addEventListener('abort', this.#abort.listener, { once: true });
    this.#stopping = undefined;
    if (this.#kernel) {
      if (runningKernelMonitors.size === 0) process.once('exit', stopKernelMonitorsAtExit);
      runningKernelMonitors.add(this.#native);
    }
    this.#native.start((kind, payload) => {
      if (kind === 'aggregate') {
        const snapshot = this.#toSnapshot(payload as NativeSnapshot);
        for (const w of this.#waiters.splice(0)) w(snapshot);
        this.emit('aggregate', snapshot);
      } else {
        if (runningKernelMonitors.delete(this.#native) && runningKernelMonitors.size === 0) process.off('exit', stopKernelMonitorsAtExit);
        this.#abort?.signal.removeEventListener('abort', this.#abort.listener);
        for (const w of this.#waiters.splice(0)) w(undefined);
        this.#resolveStop?.();
        this.#resolveStop = undefined;
        if (typeof payload === 'string' && this.listenerCount('error') > 0) this.emit('error', new MonitorFailedError(payload));
      }
    });
    return this;
  }

  /**
   * Stops the thread; resolves once it has ended (within one sampling step). The source
   * then releases what it holds in the OS (the pagemap source unregisters its memory), also
   * after stepping.
   */
  stop(): Promise<void> {
    if (!this.#native.running()) {
      this.#native.stop();
      return Promise.resolve();
    }
    if (this.#stopping) return this.#stopping;
    this.#stopping = new Promise<void>((resolve) => {
      this.#resolveStop = resolve;
    });
    this.#native.stop();
    return this.#stopping;
  }

  /** Changes attributes; while running they apply from the next sampling step, with region state rescaled as DAMON does. */
  update(attrs: MonitorAttributes): void {
    this.#native.setAttrs(toNativeAttrs(attrs, this.#native.attrs()));
  }

  /**
   * Gives the monitor's targets of fixed ranges new ranges, as a kernel DAMON commit of new
   * target regions does (damon_set_regions): regions that still overlap the new ranges keep
   * their access counts and age, new space starts as fresh regions, and regions outside are
   * dropped. `targets` has one entry per target of the monitor, in order, with ranges for
   * each one created with ranges and none for an address-space target. While running it
   * applies from the next sampling step; the source then watches the new ranges. Not with
   * the kernel DAMON source (NotSupportedError): stop the monitor and start a new one.
   */
  updateTargets(targets: TargetOptions[]): void {
    const native = toNativeTargets(targets);
    const fixed = this.#fixedTargets;
    if (native.length !== fixed.length) throw new InvalidArgumentError('targets', `an array of ${fixed.length}, one entry per target of the monitor`, targets);
    native.forEach((t, i) => {
      if (hasRanges(t) !== fixed[i]) {
        const allowed = fixed[i] ? 'present: the target was created with fixed ranges' : 'absent: the target is the whole address space';
        throw new InvalidArgumentError(`targets[${i}].ranges`, allowed, targets[i]?.ranges);
      }
    });
    try {
      this.#native.setTargets(native);
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_THP_NOT_SUPPORTED') throw new NotSupportedError('updateTargets()', (e as Error).message);
      throw e;
    }
  }

  /** The attributes in force (auto-tuning changes the intervals); intervals in ms. */
  attributes(): MonitorAttributesInForce {
    const a = this.#native.attrs();
    return { sampleIntervalMs: a.sampleUs / 1000, aggregationIntervalMs: a.aggrUs / 1000, opsUpdateIntervalMs: a.opsUpdateUs / 1000, minRegions: a.minNrRegions, maxRegions: a.maxNrRegions };
  }

  /** The latest snapshot, or null before the first aggregation. */
  snapshot(): MonitorSnapshot | null {
    const s = this.#native.snapshot();
    return s ? this.#toSnapshot(s) : null;
  }

  /**
   * Runs `samples` sampling steps now, on this thread, without waiting between them, and
   * returns the snapshots they completed: deterministic stepping for simulations and tests.
   * Not while the thread runs.
   */
  step(samples: number): MonitorSnapshot[] {
    if (!Number.isInteger(samples) || samples < 0 || samples > 1e9) throw new InvalidArgumentError('samples', 'an integer from 0 to 1e9', samples);
    try {
      return this.#native.step(samples).map((s) => this.#toSnapshot(s));
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_THP_NOT_SUPPORTED') throw new NotSupportedError('step()', (e as Error).message);
      throw e;
    }
  }

  /** Snapshots as they come, until the monitor stops. */
  async *[Symbol.asyncIterator](): AsyncGenerator<MonitorSnapshot, void, undefined> {
    for (;;) {
      if (!this.#native.running()) return;
      const next = await new Promise<MonitorSnapshot | undefined>((resolve) => this.#waiters.push(resolve));
      if (next === undefined) return;
      yield next;
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  #toSnapshot(s: NativeSnapshot): MonitorSnapshot {
    return {
      aggregation: s.aggregation,
      signal: this.#signal,
      sampleIntervalMs: s.sampleUs / 1000,
      aggregationIntervalMs: s.aggrUs / 1000,
      maxNrAccesses: s.maxNrAccesses,
      timeMs: s.timeNs / 1e6,
      elapsedMs: s.elapsedNs / 1e6,
      threadCpuMs: s.threadCpuNs / 1e6,
      skippedSamples: s.skippedSamples,
      regions: s.regions,
    };
  }
}
