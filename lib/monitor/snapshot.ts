// What an AccessMonitor delivers at the end of each aggregation interval.

/** One monitoring region at the end of an aggregation interval. */
export interface MonitorRegion {
  /** Index of the target in the options' `targets`. */
  target: number;
  start: number;
  end: number;
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
  sampleIntervalUs: number;
  aggregationIntervalUs: number;
  /** The highest possible nrAccesses (aggregation / sampling interval). */
  maxNrAccesses: number;
  /** Monotonic time of delivery and wall time of the interval, in ns (0 when stepped). */
  timeNs: number;
  elapsedNs: number;
  /** CPU time the monitor thread has used since it started, in ns (0 when stepped). */
  threadCpuNs: number;
  /**
   * Sampling intervals the monitor thread skipped since it started because it ran late (a
   * busy machine): it samples on from then instead of catching up, so aggregations stretch
   * in time rather than queue. 0 when stepped and for the `damon` source (the kernel samples).
   */
  skippedSamples: number;
  regions: MonitorRegion[];
}
