// AccessMonitor: DAMON's region-based access monitoring of one address space, running on
// its own native thread (native/core/monitor/, native/addon/access_monitor.cc).
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { linuxBinding, nativeBinding } from '../native/binding.js';
import { InvalidArgumentError, NoSuchProcessError, NotSupportedError, SystemCallError, ThpError } from '../errors.js';
import { resolveRange, type MemoryRange } from '../memory/range.js';
import type { NativeAccessMonitor, NativeSnapshot, NativeSourceOptions } from './native.js';
import type { ReferencedSourceState } from '../sources/referenced.js';
import type { MonitorSnapshot } from './snapshot.js';
import {
  toNativeAttrs,
  toNativeHotRanges,
  toNativeOptions,
  toNativeRanges,
  type AccessMonitorOptions,
  type AccessSourceOptions,
  type AddressRangeOption,
  type MonitorAttributes,
  type PatternSourceOptions,
} from './options.js';

export interface AccessMonitorEvents {
  aggregate: [MonitorSnapshot];
  error: [Error];
}

/** What the sim source's collapse did to one 2 MiB unit. */
export interface SimCollapseResult {
  status: 'collapsed' | 'unaligned' | 'out-of-range' | 'already-huge' | 'too-many-none' | 'empty' | 'out-of-frames';
  /** Absent PTEs found in the unit. */
  nonePtes: number;
  /** Absent pages that became zero-filled memory (the collapse's bloat). */
  filledPages: number;
}

/** The monitor thread ended because of a failure in its access source. */
export class MonitorFailedError extends ThpError {
  constructor(message: string) {
    super('ERR_THP_MONITOR_FAILED', `the access monitor stopped: ${message}`);
  }
}

/** What a monitor of this process uses when no source is given, the first the kernel supports. */
const DEFAULT_SOURCES: AccessSourceOptions[] = [{ kind: 'referenced' }, { kind: 'pagemap' }];

/** The sources that exist only on Linux, by the feature name their errors use. */
const LINUX_SOURCES: Partial<Record<NativeSourceOptions['kind'], string>> = {
  pagemap: 'pagemap access source',
  referenced: 'referenced access source',
  damon: 'kernel DAMON access source',
};

/**
 * Running monitors of the kernel's DAMON. process.exit() skips the addon's environment
 * cleanup, and a kdamond, unlike the other sources' resources, outlives the process: one
 * 'exit' listener stops them (a blocking wait of up to one aggregation) so each gives its
 * kdamond back. A kill by a signal still leaves it running (README).
 */
const runningKernelMonitors = new Set<NativeAccessMonitor>();
function stopKernelMonitorsAtExit(): void {
  for (const native of runningKernelMonitors) native.stopAtExit();
  runningKernelMonitors.clear();
}

export class AccessMonitor extends EventEmitter<AccessMonitorEvents> {
  readonly #native: NativeAccessMonitor;
  readonly #signal: 'access' | 'write';
  /** The kind of access source in use (the default resolved). */
  readonly sourceKind: NativeSourceOptions['kind'];
  readonly #kernel: boolean;
  #stopping: Promise<void> | undefined;
  #resolveStop: (() => void) | undefined;
  #waiters: ((s: MonitorSnapshot | undefined) => void)[] = [];
  #abort: { signal: AbortSignal; listener: () => void } | undefined;

  constructor(options: AccessMonitorOptions) {
    super();
    // Without a source: the first of the defaults this kernel supports.
    const candidates = options?.source === undefined ? DEFAULT_SOURCES : [options.source];
    let created: { native: NativeAccessMonitor; source: NativeSourceOptions } | undefined;
    for (const [i, candidate] of candidates.entries()) {
      const nativeOptions = toNativeOptions({ ...options, source: candidate });
      const feature = LINUX_SOURCES[nativeOptions.source.kind];
      try {
        const binding = feature === undefined ? nativeBinding() : linuxBinding(feature);
        created = { native: new binding.AccessMonitor(nativeOptions), source: nativeOptions.source };
        break;
      } catch (e) {
        const err = e as Error & { code?: string };
        const unsupported = err instanceof NotSupportedError ? err : err.code === 'ERR_THP_NOT_SUPPORTED' ? new NotSupportedError(feature ?? nativeOptions.source.kind, err.message) : null;
        if (unsupported === null) throw e;
        if (i === candidates.length - 1) throw unsupported;
      }
    }
    if (created === undefined) throw new InvalidArgumentError('source', 'an access source', options?.source);
    const source = created.source;
    this.#native = created.native;
    this.sourceKind = source.kind;
    // The kernel accepts any pid when configured and fails only when turned on, off the JS thread.
    if (source.kind === 'damon' && !existsSync(`/proc/${source.pid}`)) throw new NoSuchProcessError(source.pid);
    this.#signal = this.#native.signal();
    this.#kernel = source.kind === 'damon';
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

  /** The attributes in force (auto-tuning changes the intervals). */
  attributes(): { sampleIntervalUs: number; aggregationIntervalUs: number; opsUpdateIntervalUs: number; minRegions: number; maxRegions: number } {
    const a = this.#native.attrs();
    return { sampleIntervalUs: a.sampleUs, aggregationIntervalUs: a.aggrUs, opsUpdateIntervalUs: a.opsUpdateUs, minRegions: a.minNrRegions, maxRegions: a.maxNrRegions };
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

  /** The `pattern` source only: replaces the hot ranges (not while the thread runs). */
  setHotRanges(hot: PatternSourceOptions['hot']): void {
    this.#native.source('setHot', toNativeHotRanges(hot ?? []));
  }

  /**
   * The `pagemap` source only: clears write-protection on a range (a buffer or
   * {address, length}). Call it before collapsing monitored memory: MADV_COLLAPSE fails with
   * EINVAL over userfaultfd write-protect markers. Safe while running.
   */
  unprotect(range: MemoryRange): void {
    const { address, length } = resolveRange(range);
    const start = Number(address);
    try {
      this.#native.source('unprotect', [[start, start + length]]);
    } catch (e) {
      const err = e as Error & { errno?: string; syscall?: string };
      if (err.errno) throw new SystemCallError(err.syscall ?? 'UFFDIO_WRITEPROTECT', err.errno, err.message);
      throw e;
    }
  }

  /**
   * The `pagemap` source only: whether sampling write-protects PMD-mapped huge pages (default
   * true). A write to a write-protected huge page splits it (WP_ASYNC, mm/memory.c
   * wp_huge_pmd), so a tuner keeping hot memory huge turns this off; huge pages then read as
   * written. Safe while running.
   */
  sampleHugePages(on: boolean): void {
    this.#native.source('protectHuge', on);
  }

  /**
   * The `pagemap` source only: while paused, sampling write-protects nothing and a page
   * sampled then counts as not written (pages protected before are checked as usual). Pause around unprotect + collapse so the
   * sampler cannot protect a page of the unit in between. Safe while running.
   */
  pauseSampling(paused: boolean): void {
    this.#native.source('pause', paused);
  }

  /**
   * The `pagemap` and `sim` sources: per range, its 4 KiB pages written (pagemap) or accessed
   * (sim) since each was last marked, marking them again (write-protection, or clearing the
   * Accessed bit), so the next probe counts what happened in between; pages never marked read
   * as touched. PMD-mapped pages are not marked (a write would split them). null where the
   * pagemap source sees no writes (outside registered mappings, or stopped). The pagemap
   * source's scan runs off the JS thread; safe while running. The `referenced` source: the
   * pages referenced in its last completed window (null before the first), marking nothing.
   */
  async probePages(ranges: { start: number; end: number }[]): Promise<(number | null)[]> {
    const pages = (await this.#native.source('probe', ranges.map((r) => [r.start, r.end]))) as number[];
    return pages.map((n) => (n < 0 ? null : n));
  }

  /** The `referenced` source only: its windows so far, their cost, and how it split memory. Safe while running. */
  referencedState(): ReferencedSourceState {
    return this.#native.source('state') as ReferencedSourceState;
  }

  /** The `pagemap` source only: bytes of mappings registered with userfaultfd now (0 when stopped). */
  registeredBytes(): number {
    return this.#native.source('registeredBytes') as number;
  }

  /** The `sim` source only: moves the workload's hot set (not while the thread runs). */
  setSimHotSet(hot: AddressRangeOption[]): void {
    this.#native.source('setHot', toNativeRanges('hot', hot));
  }

  /** The `sim` source only: unmaps ranges while they are monitored; returns the bytes unmapped. */
  unmapSimRanges(ranges: AddressRangeOption[]): number {
    return this.#native.source('unmap', toNativeRanges('ranges', ranges)) as number;
  }

  /**
   * The `sim` source only, stepped (not while the thread runs): the memory operations a tuner
   * applies to the simulated process. `simCollapse` collapses the 2 MiB unit at `address` if
   * at most `maxPtesNone` of its 512 PTEs are absent (absent ones become zero-filled pages).
   */
  simCollapse(address: number, maxPtesNone: number): SimCollapseResult {
    return this.#native.source('collapse', address, maxPtesNone) as SimCollapseResult;
  }

  /** The `sim` source only: splits the huge page at `address` into 4 KiB pages; false if none. */
  simSplit(address: number): boolean {
    return this.#native.source('split', address) as boolean;
  }

  /** The `sim` source only: drops pages but keeps the mapping (MADV_DONTNEED); returns the bytes dropped. */
  simDiscard(ranges: AddressRangeOption[]): number {
    return this.#native.source('discard', toNativeRanges('ranges', ranges)) as number;
  }

  /** The `sim` source only: per whole 2 MiB unit of [start, end), resident 4 KiB pages and whether a PMD maps it. */
  simResidency(start: number, end: number): { address: number; residentPages: number; pmdMapped: boolean }[] {
    const rows = this.#native.source('residency', [start, end]) as [number, number, boolean][];
    return rows.map(([address, residentPages, pmdMapped]) => ({ address, residentPages, pmdMapped }));
  }

  /** The `pattern` source only: replaces the mappings it reports (not while the thread runs). */
  setMappings(mappings: AddressRangeOption[]): void {
    this.#native.source('setMappings', toNativeRanges('mappings', mappings));
  }

  #toSnapshot(s: NativeSnapshot): MonitorSnapshot {
    return {
      aggregation: s.aggregation,
      signal: this.#signal,
      sampleIntervalUs: s.sampleUs,
      aggregationIntervalUs: s.aggrUs,
      maxNrAccesses: s.maxNrAccesses,
      timeNs: s.timeNs,
      elapsedNs: s.elapsedNs,
      threadCpuNs: s.threadCpuNs,
      skippedSamples: s.skippedSamples,
      regions: s.regions,
    };
  }
}
