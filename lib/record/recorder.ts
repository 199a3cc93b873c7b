// Recorder: an AccessMonitor's snapshots over time, with the kernel's view of huge pages, to a
// recording file (docs/recording-format.md; lines built in the API's vocabulary, format.ts, and
// written in the file's, file-lines.ts). It watches what the tuner would: the
// mappings that can hold whole aligned 2 MiB units, re-read every `targetsInterval`, with the
// tuner's default source (referenced, reads and writes) on this process.
import { EventEmitter } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { release } from 'node:os';
import { createGzip, type Gzip } from 'node:zlib';
import { InvalidArgumentError } from '../errors.js';
import { pageGeometry } from '../memory/geometry.js';
import { residency } from '../memory/residency.js';
import { AccessMonitor } from '../monitor/access-monitor.js';
import type { MonitorAttributes } from '../monitor/options.js';
import type { MonitorSnapshot } from '../monitor/snapshot.js';
import { KernelDamonSource } from '../sources/kernel-damon.js';
import { ownMemorySource, type OwnMemorySourceKind } from '../sources/own-memory.js';
import { PagemapSource } from '../sources/pagemap.js';
import { ReferencedSource } from '../sources/referenced.js';
import { processCpuNs } from '../procfs/target.js';
import { eligibility } from '../tuner/eligibility.js';
import { MemoryBackend } from '../tuner/memory-backend.js';
import { durationToUs, type Duration } from '../units/duration.js';
import { toFile } from './file-lines.js';
import { RECORDING_FORMAT, RECORDING_VERSION, type EndLine, type RatesLine, type RecordingHeader, type RecordingLine, type ResidencyLine, type SnapshotLine, type TargetsLine } from './format.js';
import type { Recording } from './reader.js';

export interface RecorderOptions {
  /** The file to write, gzip-compressed when `gzip` is true or the name ends in `.gz`; none: only events and `current()` (a live view). */
  out?: string;
  gzip?: boolean;
  /** The process to record (default this one). Another process is watched by the kernel's DAMON (`damon` source: root, CONFIG_DAMON_VADDR). */
  pid?: number;
  /**
   * How this process is watched: `referenced` (default; reads and writes, `pagemap` where the
   * kernel refuses it) or `pagemap` (writes only; its rates count 5 ms samples, which the
   * advisor needs). Not for another process (the kernel's DAMON watches it).
   */
  source?: 'referenced' | 'pagemap';
  /** Sampling and aggregation intervals, region bounds (DAMON's defaults: 5 ms, 100 ms, 10..1000). */
  monitoring?: Pick<MonitorAttributes, 'sampleInterval' | 'aggregationInterval' | 'minRegions' | 'maxRegions'>;
  /** How often the kernel's huge-page view of the targets is read (default '1s'). */
  residencyInterval?: Duration;
  /** How often the mappings are re-read; when they changed, monitoring follows the new targets (default '1s'). */
  targetsInterval?: Duration;
  /** The recorded script's command line, kept in the header. */
  command?: string[];
}

/** Where a recording stands: what the progress line shows. */
export interface RecorderProgress {
  elapsedMs: number;
  snapshots: number;
  regions: number;
  /** Bytes of the latest snapshot's regions accessed in at least one sample. */
  accessedBytes: number;
  /** Bytes of the targets and of their PMD-mapped units at the latest residency read. */
  targetBytes: number;
  hugeBytes: number;
}

export interface RecorderEvents {
  snapshot: [SnapshotLine];
  error: [Error];
}

const UNIT = 2 ** 21;
/**
 * The referenced source's first rate window in a recording: its windows of about a second say
 * which pages are used, the rate probe how often, which the advisor's time model needs
 * (docs/sources.md, "Rate probe"). It adapts from here.
 */
const RATE_WINDOW = '10ms';

/** The source of this process's memory a recording uses: `kind`, with the rate probe where it is the referenced source. */
function recordingSource(kind: OwnMemorySourceKind): ReferencedSource | PagemapSource {
  return ownMemorySource(kind, { rateWindow: RATE_WINDOW });
}

/** Run-length encoding of per-unit residency: consecutive units with equal pages and mapping share one entry. */
function encodeUnits(units: { address: bigint; residentPages: number; huge: boolean; count: number }[]): ResidencyLine['units'] {
  const out: ResidencyLine['units'] = [];
  for (const u of units) {
    const last = out.at(-1);
    const huge = u.huge ? 1 : 0;
    if (last && last[0] + BigInt(last[1] * UNIT) === u.address && last[2] === u.residentPages && last[3] === huge) last[1] += u.count;
    else out.push([u.address, u.count, u.residentPages, huge]);
  }
  return out;
}

export class Recorder extends EventEmitter<RecorderEvents> {
  readonly #options: RecorderOptions;
  readonly #pid: number;
  /** The source of this process's memory (the requested one, or pagemap where referenced is refused); null for another process. */
  readonly #own: OwnMemorySourceKind | null;
  readonly #backend: MemoryBackend;
  readonly #residencyUs: number;
  readonly #targetsUs: number;
  #file: WriteStream | null = null;
  #started = false;
  #header: RecordingHeader | null = null;
  #lastTargets: TargetsLine | null = null;
  #lastResidency: ResidencyLine | null = null;
  #lastSnapshot: SnapshotLine | null = null;
  #gzip: Gzip | null = null;
  #monitor: AccessMonitor | null = null;
  #targets: [number, number][] = [];
  #t0 = 0n;
  #cpu0 = 0;
  /** CPU time in ms of this recorder's finished monitor threads, and of the running one so far (this process's sources: they run in the recorded process). */
  #monitorCpuDoneMs = 0;
  #monitorCpuNowMs = 0;
  #timers: NodeJS.Timeout[] = [];
  #residencyBusy = false;
  #lastRatesWindowMs = -1;
  #progress: RecorderProgress = { elapsedMs: 0, snapshots: 0, regions: 0, accessedBytes: 0, targetBytes: 0, hugeBytes: 0 };
  #stopped: Promise<EndLine> | null = null;
  readonly #probe: AccessMonitor;

  constructor(options: RecorderOptions) {
    super();
    if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'an object {out, ...}', options);
    if (options.out !== undefined && (typeof options.out !== 'string' || options.out === '')) throw new InvalidArgumentError('out', 'the path of the recording file', options.out);
    this.#options = options;
    this.#pid = options.pid ?? process.pid;
    const self = this.#pid === process.pid;
    const source = options.source;
    if (source !== undefined && (!self || (source !== 'referenced' && source !== 'pagemap'))) {
      throw new InvalidArgumentError('source', self ? "'referenced' or 'pagemap'" : "absent: another process is watched by the kernel's DAMON", source);
    }
    this.#residencyUs = durationToUs('residencyInterval', options.residencyInterval ?? '1s', 10_000, 3_600_000_000);
    this.#targetsUs = durationToUs('targetsInterval', options.targetsInterval ?? '1s', 100_000, 3_600_000_000);
    // The monitor validates the attributes; building one now reports a bad value (or a missing
    // source for another process) before any file is created.
    this.#backend = new MemoryBackend(this.#pid);
    const probeSource = self ? recordingSource(source ?? 'referenced') : new KernelDamonSource({ pid: this.#pid });
    this.#own = !self ? null : probeSource instanceof PagemapSource ? 'pagemap' : 'referenced';
    this.#probe = this.#newMonitor([[0, UNIT]], probeSource);
  }

  /** How the recorded process is watched: the kernel's DAMON (another process), or the referenced or pagemap source (this one). */
  get source(): RecordingHeader['source'] {
    return this.#own ?? 'damon';
  }

  progress(): RecorderProgress {
    return { ...this.#progress, elapsedMs: this.#sinceStart() };
  }

  /** Opens the file, writes the header and the first targets, and starts monitoring. */
  async start(): Promise<void> {
    if (this.#started) throw new InvalidArgumentError('start()', 'called once per Recorder', 'a second call');
    this.#started = true;
    const out = this.#options.out;
    if (out !== undefined) {
      const file = createWriteStream(out, { mode: 0o600 });
      await once(file, 'open');
      this.#file = file;
      if (this.#options.gzip ?? out.endsWith('.gz')) {
        this.#gzip = createGzip();
        this.#gzip.pipe(file);
      }
    }
    this.#t0 = process.hrtime.bigint();
    this.#cpu0 = this.#cpuNs() ?? 0;
    const probe = this.#probe;
    const attrs = probe.attributes();
    const geometry = pageGeometry();
    const header: RecordingHeader = {
      format: RECORDING_FORMAT,
      version: RECORDING_VERSION,
      createdAt: new Date().toISOString(),
      pid: this.#pid,
      command: this.#options.command ?? null,
      source: this.source,
      signal: probe.signal,
      attributes: { sampleIntervalMs: attrs.sampleIntervalMs, aggregationIntervalMs: attrs.aggregationIntervalMs, minRegions: attrs.minRegions, maxRegions: attrs.maxRegions },
      host: { kernel: release(), pageBytes: geometry.basePageSize, hugePageBytes: geometry.hugePageSize },
    };
    this.#header = header;
    this.#write(header);
    await this.#refreshTargets();
    this.#timers.push(setInterval(() => void this.#refreshTargets(), this.#targetsUs / 1000).unref());
    this.#timers.push(setInterval(() => void this.#readResidency(), this.#residencyUs / 1000).unref());
  }

  /** Stops monitoring, writes the end line and closes the file (once; later calls return the same end). */
  stop(reason: EndLine['reason'] = 'stop'): Promise<EndLine> {
    this.#stopped ??= this.#finish(reason);
    return this.#stopped;
  }

  async #finish(reason: EndLine['reason']): Promise<EndLine> {
    for (const t of this.#timers) clearInterval(t);
    await this.#monitor?.stop();
    // Rate windows taken since the last snapshot are not lost.
    if (this.#file) this.#writeRates(this.#sinceStart());
    this.#monitor = null;
    const end: EndLine = { type: 'end', timeMs: this.#sinceStart(), snapshots: this.#progress.snapshots, reason };
    if (this.#file) {
      this.#write(end);
      const file = this.#file;
      (this.#gzip ?? file).end();
      await once(file, 'close');
    }
    return end;
  }

  /**
   * CPU time the recorded process has used (all threads, user and system), or null when it
   * cannot be read: the advisor divides the recorded access rate by the share of a CPU the
   * process had, so that a program slowed by a busy machine is not taken for one doing more
   * work per access.
   */
  #cpuNs(): number | null {
    try {
      if (this.#pid !== process.pid) return processCpuNs(this.#pid);
      const usage = process.cpuUsage();
      return (usage.user + usage.system) * 1000;
    } catch {
      return null;
    }
  }

  /** Milliseconds since start() (monotonic). */
  #sinceStart(): number {
    return this.#t0 === 0n ? 0 : Number(process.hrtime.bigint() - this.#t0) / 1e6;
  }

  /** The latest snapshot as a one-snapshot recording (for a live view), or null before the first. */
  current(): Recording | null {
    if (!this.#header || !this.#lastSnapshot || !this.#lastTargets) return null;
    const { type: _type, ...snapshot } = this.#lastSnapshot;
    return {
      header: this.#header,
      targets: [this.#lastTargets],
      residency: this.#lastResidency ? [this.#lastResidency] : [],
      rates: [],
      snapshots: [{ ...snapshot, targets: this.#lastTargets.ranges, residency: this.#lastResidency?.units ?? null }],
      end: null,
    };
  }

  #write(line: RecordingHeader | RecordingLine): void {
    if ('type' in line) {
      if (line.type === 'targets') this.#lastTargets = line;
      else if (line.type === 'residency') this.#lastResidency = line;
      else if (line.type === 'snapshot') this.#lastSnapshot = line;
    }
    (this.#gzip ?? this.#file)?.write(`${JSON.stringify(toFile(line))}\n`);
  }

  /** A monitor with a source of its own (a source feeds one monitor). */
  #newMonitor(ranges: [number, number][], source = this.#own ? recordingSource(this.#own) : new KernelDamonSource({ pid: this.#pid })): AccessMonitor {
    return new AccessMonitor({
      ...(this.#options.monitoring ? { monitoring: this.#options.monitoring } : {}),
      source,
      targets: [{ ranges: ranges.map(([start, end]) => ({ start, end })) }],
    });
  }

  #fail(e: unknown): void {
    const err = e instanceof Error ? e : new Error(String(e));
    if (this.listenerCount('error') > 0) this.emit('error', err);
  }

  /** Reads the eligible mappings; on a change, records them and monitors them from then on. */
  async #refreshTargets(): Promise<void> {
    try {
      const spans = eligibility(await this.#backend.anonymousMappings()).spans.map((s): [number, number] => [s.start, s.end]);
      if (this.#stopped || JSON.stringify(spans) === JSON.stringify(this.#targets)) return;
      this.#targets = spans;
      this.#write({ type: 'targets', timeMs: this.#sinceStart(), ranges: spans.map(([s, e]): [bigint, bigint] => [BigInt(s), BigInt(e)]) });
      this.#progress.targetBytes = spans.reduce((sum, [s, e]) => sum + e - s, 0);
      if (this.#monitor && this.#own && spans.length > 0) {
        // The running monitor takes the new ranges; regions that still overlap them keep
        // their counts and ages (damon_set_regions).
        this.#monitor.updateTargets([{ ranges: spans.map(([start, end]) => ({ start, end })) }]);
        return;
      }
      // The kernel's kdamond gets its targets when it starts: a new one watches the new ranges.
      await this.#monitor?.stop();
      this.#monitor = null;
      this.#monitorCpuDoneMs += this.#monitorCpuNowMs;
      this.#monitorCpuNowMs = 0;
      if (spans.length === 0) return;
      const monitor = this.#newMonitor(spans);
      // Pagemap sampling write-protects a page; a write to a write-protected huge page splits
      // it. The recorder must not change what it records, so huge pages are left unprotected
      // (they read as written). The referenced source arms whole cells and splits nothing.
      if (monitor.source instanceof PagemapSource) monitor.source.sampleHugePages(false);
      monitor.on('aggregate', (s) => this.#onSnapshot(s));
      monitor.on('error', (e) => this.#fail(e));
      this.#monitor = monitor;
      monitor.start();
      await this.#readResidency();
    } catch (e) {
      this.#fail(e);
    }
  }

  #onSnapshot(s: MonitorSnapshot): void {
    if (this.#stopped) return;
    this.#monitorCpuNowMs = s.threadCpuMs;
    const line: SnapshotLine = {
      type: 'snapshot',
      // The monitor thread's clock (steady_clock, the same as hrtime), not the delivery's.
      timeMs: s.timeMs > 0 ? Math.max(0, s.timeMs - Number(this.#t0) / 1e6) : this.#sinceStart(),
      aggregation: s.aggregation,
      sampleIntervalMs: s.sampleIntervalMs,
      aggregationIntervalMs: s.aggregationIntervalMs,
      maxNrAccesses: s.maxNrAccesses,
      regions: s.regions.map((r) => [r.start, r.end, r.nrAccesses, r.age]),
    };
    this.#write(line);
    this.#writeRates(line.timeMs);
    this.#progress.snapshots += 1;
    this.#progress.regions = s.regions.length;
    this.#progress.accessedBytes = s.regions.reduce((sum, r) => sum + (r.nrAccesses > 0 ? Number(r.end - r.start) : 0), 0);
    this.emit('snapshot', line);
  }

  /** The rate probe's samples since the last rates line, and the window length when it changed (referenced source only). */
  #writeRates(timeMs: number): void {
    const source = this.#monitor?.source;
    if (!(source instanceof ReferencedSource)) return;
    const samples = source.takeRateSamples();
    const windowMs = source.state().lastWindowMs;
    if (samples.length === 0 && windowMs === this.#lastRatesWindowMs) return;
    this.#lastRatesWindowMs = windowMs;
    const line: RatesLine = {
      type: 'rates',
      timeMs,
      windowMs,
      samples: samples.map((s) => [BigInt(s.start), BigInt(s.end), s.residentBytes, s.referencedBytes, s.windowMs, s.accessBitNs]),
    };
    this.#write(line);
  }

  /** The kernel's view (PAGEMAP_SCAN) of the targets' units; skipped while the previous read runs. */
  async #readResidency(): Promise<void> {
    if (this.#residencyBusy || this.#targets.length === 0 || this.#stopped) return;
    this.#residencyBusy = true;
    try {
      const units: { address: bigint; residentPages: number; huge: boolean; count: number }[] = [];
      for (const [start, end] of this.#targets) {
        for (const u of await residency({ address: BigInt(start), length: end - start }, { pid: this.#pid === process.pid ? 'self' : this.#pid })) {
          units.push({ address: u.address, residentPages: u.residentPages, huge: u.pmdMapped === true, count: u.units });
        }
      }
      if (this.#stopped) return;
      this.#progress.hugeBytes = units.reduce((sum, u) => sum + (u.huge ? u.count * UNIT : 0), 0);
      const cpuNs = this.#cpuNs();
      const cpu = cpuNs === null ? {} : { cpuMs: (cpuNs - this.#cpu0) / 1e6, ...(this.#own ? { monitorCpuMs: this.#monitorCpuDoneMs + this.#monitorCpuNowMs } : {}) };
      this.#write({ type: 'residency', timeMs: this.#sinceStart(), units: encodeUnits(units), ...cpu });
    } catch (e) {
      this.#fail(e);
    } finally {
      this.#residencyBusy = false;
    }
  }
}
