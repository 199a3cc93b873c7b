export type Scale = 'quick' | 'full';
export interface WorkloadRun { ops: number; latenciesNs?: number[] }
export interface HotRange { address: bigint; length: number }
export interface Workload {
  name: string;            // kebab-case id (--only <name>)
  title: string;           // one line for RESULTS.md
  unit: string;            // what one op is: 'reads', 'lookups', 'queries', 'requests'
  tunerCanHelp: boolean;   // false where huge pages cannot help by design (V8 heap objects)
  setup(scale: Scale): Promise<void> | void;            // allocate and populate; once per child
  run(ms: number): Promise<WorkloadRun> | WorkloadRun; // work for about ms, say how much was done
  hotRanges?(): HotRange[];                            // where the hot set lies, if known (time-until-huge)
  moveHotSet?(): void;                                 // phase change workloads only
}
