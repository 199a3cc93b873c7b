// Per-thread CPU time and minor faults of this process, from /proc/self/task/<tid>/: what one
// thread paid, unlike process.cpuUsage() and resourceUsage(), which sum every thread.
import { readdirSync, readFileSync } from 'node:fs';

export interface ThreadUsage {
  /** Nanoseconds the thread has run on a CPU (schedstat's first field: the scheduler's own clock). */
  cpuNs: number;
  /** Minor faults the thread has taken (stat field 10), e.g. userfaultfd write-protect faults the kernel resolved. */
  minorFaults: number;
  /** Times the scheduler switched the thread out while it could still run (status's nonvoluntary_ctxt_switches). */
  preemptions: number;
}

/** The main thread's id is the process id. */
export const MAIN_THREAD = process.pid;

export function threadIds(): number[] {
  return readdirSync('/proc/self/task').map(Number);
}

/**
 * CPU nanoseconds of the main thread (call it there), to the microsecond. Its schedstat is stale by up
 * to a scheduler tick while it runs (the kernel folds in run time at ticks and switches), so
 * this takes the process total from getrusage (which brings the calling thread up to
 * date) minus every other thread's schedstat (current as of its last switch: they sleep).
 */
export function mainThreadCpuNs(): number {
  const { user, system } = process.cpuUsage();
  const others = threadIds()
    .filter((tid) => tid !== MAIN_THREAD)
    .reduce((sum, tid) => sum + threadUsage(tid).cpuNs, 0);
  return (user + system) * 1000 - others;
}

export function threadUsage(tid: number): ThreadUsage {
  const cpuNs = Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
  // The command name in parentheses may hold spaces: count fields after its closing one.
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  const minorFaults = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[7]);
  const status = readFileSync(`/proc/self/task/${tid}/status`, 'utf8');
  const preemptions = Number(/^nonvoluntary_ctxt_switches:\s*(\d+)/m.exec(status)?.[1]);
  return { cpuNs, minorFaults, preemptions };
}
