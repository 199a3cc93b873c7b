// What an AccessMonitor delivers at the end of each aggregation interval.

/** One monitoring region at the end of an aggregation interval. */
export interface MonitorRegion {
  /** Index of the target in the options' `targets`. */
  target: number;
  /** [start, end): addresses, as the memory API takes them (`collapse(region)` works on a region as it is). */
  start: bigint;
  end: bigint;
  /** Samples of the aggregation interval in which the region was seen accessed (0..maxNrAccesses). */
  nrAccesses: number;
  /** The per-sample moving sum ×10000 (DAMON's nr_accesses_bp); nrAccesses×10000 here. */
  nrAccessesBp: number;
  /** Aggregation intervals the region's access pattern has persisted. */
  age: number;
}

/** What the monitor knew at the end of one aggregation interval. */
export interface MonitorSnapshot {
  /** 1 for the first aggregation. */
  aggregation: number;
  /** `'access'`: reads and writes; `'write'`: the source sees writes only (pagemap). */
  signal: 'access' | 'write';
  /** The intervals in force for this aggregation (auto-tuning changes them), in ms. */
  sampleIntervalMs: number;
  aggregationIntervalMs: number;
  /** The highest possible nrAccesses (aggregation / sampling interval). */
  maxNrAccesses: number;
  /**
   * Monotonic time of delivery (the clock of `process.hrtime`, in ms) and wall time the
   * interval took, in ms (both 0 when stepped).
   */
  timeMs: number;
  elapsedMs: number;
  /** CPU time the monitor thread has used since it started, in ms (0 when stepped). */
  threadCpuMs: number;
  /**
   * Sampling intervals the monitor thread skipped since it started because it ran late (a
   * busy machine): it samples on from then instead of catching up, so aggregations stretch
   * in time rather than queue. 0 when stepped and for the `damon` source (the kernel samples).
   */
  skippedSamples: number;
  regions: MonitorRegion[];
}

/** `AccessMonitor.attributes()`: the monitoring attributes in force, intervals in ms. */
export interface MonitorAttributesInForce {
  sampleIntervalMs: number;
  aggregationIntervalMs: number;
  opsUpdateIntervalMs: number;
  minRegions: number;
  maxRegions: number;
}
