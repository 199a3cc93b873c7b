// What a workload of the benchmark suite is (bench/suite/README.md). The suite runs each
// workload in a fresh Node process per configuration: setup() once, then run() in short slices
// (the process keeps serving its event loop between them, as a service would), and reads the
// kernel's view of the process around it. A workload module's default export is a Workload or
// an array of them; third-party modules in workloads/third-party/ are found by the suite.
//
// The first block is the contract other modules are written against: members may be added
// (optional), these may not change.
export type Scale = 'quick' | 'full';
export interface WorkloadRun {
  ops: number;
  latenciesNs?: number[];
}
export interface HotRange {
  address: bigint;
  length: number;
}
export interface Workload {
  name: string; // kebab-case id (--only <name>)
  title: string; // one line for RESULTS.md
  unit: string; // what one op is: 'reads', 'lookups', 'queries', 'requests'
  tunerCanHelp: boolean; // false where huge pages cannot help by design (V8 heap objects)
  setup(scale: Scale): Promise<void> | void; // allocate and populate; once per child
  run(ms: number): Promise<WorkloadRun> | WorkloadRun; // work for about ms, say how much was done
  hotRanges?(): HotRange[]; // where the hot set lies, if known (time-until-huge)
  moveHotSet?(): void; // phase change workloads only
  /** What it maps and touches at this scale, in one line for the page (sizes). */
  describe?(scale: Scale): string;
  /**
   * The suite records the workload on 4 KiB pages and shows the advisor's prediction beside
   * the measured speedup (workloads whose accesses the advisor's model covers).
   */
  advisor?: boolean;
  /** Its accesses are reads (the page's reasons say what a write-only source would miss). */
  reads?: boolean;
  /**
   * Its speed depends on V8 (compiler tiers, heap sizing), which settles over seconds of the
   * loop: every configuration warms it up for the scale's longWarmupMs, so that a configuration
   * that ran longer before its measurement (a tuner converging) is not measured faster for that.
   * Where the tuner cannot help (tunerCanHelp false) it gets no longer than the others.
   */
  longWarmup?: boolean;
}

/** The state setup() made, or an error naming the workload when run() comes first. */
export function afterSetup<T>(state: T | null, workload: string): T {
  if (state === null) throw new Error(`${workload}: setup() has not run`);
  return state;
}

/** Whether a module's export is a Workload (checked on what third-party modules export). */
export function isWorkload(value: unknown): value is Workload {
  if (typeof value !== 'object' || value === null) return false;
  const w = value as Record<string, unknown>;
  return (
    typeof w['name'] === 'string' &&
    /^[a-z0-9]+(-[a-z0-9]+)*$/.test(w['name']) &&
    typeof w['title'] === 'string' &&
    typeof w['unit'] === 'string' &&
    typeof w['tunerCanHelp'] === 'boolean' &&
    typeof w['setup'] === 'function' &&
    typeof w['run'] === 'function'
  );
}
