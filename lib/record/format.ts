// A recording as the API returns it (readRecording(), Recorder's events): the public
// vocabulary of docs/conventions.md, addresses as bigints and times in ms. The file itself
// (docs/recording-format.md) keeps JSON numbers, ns and us; ./file-lines.ts converts between
// the two. The first line is a header naming the format and its version; then `targets`,
// `snapshot` and `residency` lines in time order; an `end` line closes a complete recording.

export const RECORDING_FORMAT = 'thp-autotune-recording';
/** The version this package writes and the newest it reads. */
export const RECORDING_VERSION = 2;

/** What was recorded, how, and on which machine. */
export interface RecordingHeader {
  format: typeof RECORDING_FORMAT;
  version: number;
  /** Wall-clock start, ISO 8601. */
  createdAt: string;
  /** The recorded process. */
  pid: number;
  /** The command line of the recorded script, when the recorder ran it. */
  command: string[] | null;
  /**
   * The access source: `referenced` (this process, reads and writes; a region's rate is the
   * share of its pages used within a window of about a second), `pagemap` (this process,
   * writes only) or `damon` (another process, reads and writes). `referenced` was added to
   * version 1: readers of version 1 take the field as text.
   */
  source: 'referenced' | 'pagemap' | 'damon';
  signal: 'access' | 'write';
  /** Monitoring attributes at start, intervals in ms (auto-tuning may change the intervals; each snapshot carries its own). */
  attributes: { sampleIntervalMs: number; aggregationIntervalMs: number; minRegions: number; maxRegions: number };
  host: { kernel: string; pageBytes: number; hugePageBytes: number };
}

/** The monitored address ranges from `timeMs` on: the mappings that can hold whole huge pages. */
export interface TargetsLine {
  type: 'targets';
  /** Milliseconds since the recording started (monotonic), as on every line. */
  timeMs: number;
  /** [start, end) pairs, sorted and disjoint. */
  ranges: [bigint, bigint][];
}

/** One aggregation: regions as [start, end, nrAccesses, age]. */
export interface SnapshotLine {
  type: 'snapshot';
  timeMs: number;
  aggregation: number;
  sampleIntervalMs: number;
  aggregationIntervalMs: number;
  maxNrAccesses: number;
  regions: [bigint, bigint, number, number][];
}

/**
 * The kernel's view of the targets' huge pages at `timeMs`, per 2 MiB unit, run-length
 * encoded: [first unit's address, units in the run, resident 4 KiB pages of each, 1 if a PMD maps each].
 */
export interface ResidencyLine {
  type: 'residency';
  timeMs: number;
  units: [bigint, number, number, 0 | 1][];
  /** CPU time the recorded process used since the recording started (all threads, user + system), in ms; absent where it could not be read, and in recordings written before the field existed (an optional field: format version 1 still). */
  cpuMs?: number;
  /** Of cpuMs, what the recorder's own monitor thread used (the referenced and pagemap sources sample from inside the recorded process); absent for another process (the kernel's DAMON runs in kdamond). */
  monitorCpuMs?: number;
}

export interface EndLine {
  type: 'end';
  timeMs: number;
  snapshots: number;
  /** Why recording stopped: `duration`, `exit` (the recorded script or process ended), `signal` or `stop` (API). */
  reason: 'duration' | 'exit' | 'signal' | 'stop';
}

/**
 * The referenced source's rate probe since the previous such line (version 2): how often the
 * pages of mostly-used cells are used, which its windows of about a second cannot tell
 * (docs/sources.md, "Rate probe"). Written with each snapshot that has something new.
 */
export interface RatesLine {
  type: 'rates';
  timeMs: number;
  /** Length of the source's last completed window (opening to closing), in ms: the span a snapshot's share of used pages covers. */
  windowMs: number;
  /** Per rate cell: [start, end, residentBytes, referencedBytes, windowMs, accessBitNs] (ReferencedSource.takeRateSamples()). */
  samples: [bigint, bigint, number, number, number, number][];
}

export type RecordingLine = TargetsLine | SnapshotLine | ResidencyLine | RatesLine | EndLine;
