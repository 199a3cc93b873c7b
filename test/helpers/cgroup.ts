// A throw-away memory cgroup with its own limit, for tests that make memory-cgroup charges
// fail for real. Only as root; on cgroup v2 where the hierarchy's root offers the memory
// controller to its children (a sub-cgroup of the root is exempt from the no-internal-processes
// rule), else on the cgroup v1 memory hierarchy where one is mounted; removed again by the
// test. Never changes an existing cgroup's settings.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface MemoryCgroupHandle {
  /** The cgroup's directory; `cgroup.procs` in it moves a process in (v1 and v2 alike). */
  dir: string;
  /** Bytes charged to the cgroup now. */
  currentBytes(): number;
  /** Limits the cgroup to `bytes` with no swap to make room beyond it. */
  limit(bytes: number): void;
  remove(): void;
}

export type MemoryCgroup = MemoryCgroupHandle | { unavailable: string };

/** Mount points of the cgroup hierarchies: cgroup2's, and the v1 one holding `memory`. */
function cgroupMounts(): { v2: string | null; v1Memory: string | null } {
  let v2: string | null = null;
  let v1Memory: string | null = null;
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const [mountFields, fsFields] = line.split(' - ');
    const mountPoint = mountFields?.split(' ')[4];
    if (mountPoint === undefined || fsFields === undefined) continue;
    if (fsFields.startsWith('cgroup2 ')) v2 = mountPoint;
    else if (fsFields.startsWith('cgroup ') && fsFields.split(' ')[2]?.split(',').includes('memory')) v1Memory = mountPoint;
  }
  return { v2, v1Memory };
}

/** Why the cgroup2 root at `root` cannot give a child cgroup its own memory limit, or null. */
function v2MemoryUnavailable(root: string): string | null {
  const controllers = readFileSync(path.join(root, 'cgroup.controllers'), 'utf8').trim();
  if (!controllers.split(' ').includes('memory')) return `the cgroup2 hierarchy at ${root} offers no memory controller (controllers: ${controllers || 'none'})`;
  if (!readFileSync(path.join(root, 'cgroup.subtree_control'), 'utf8').split(' ').includes('memory')) {
    return `the memory controller is not enabled for children of ${root} (cgroup.subtree_control), and enabling it would change the machine's cgroups`;
  }
  return null;
}

const readNumber = (file: string) => Number(readFileSync(file, 'utf8'));
const write = (file: string, value: number | string) => writeFileSync(file, String(value));

/** Creates a memory cgroup named `name`, or says why it cannot be done here. */
export function createMemoryCgroup(name: string): MemoryCgroup {
  if (process.getuid?.() !== 0) return { unavailable: 'creating a cgroup needs root' };
  const { v2, v1Memory } = cgroupMounts();
  const v2Reason = v2 === null ? 'no cgroup2 hierarchy is mounted' : v2MemoryUnavailable(v2);
  const root = v2Reason === null ? v2 : v1Memory;
  if (root === null) return { unavailable: `${v2Reason}, and no cgroup v1 memory hierarchy is mounted` };
  const dir = path.join(root, name);
  try {
    mkdirSync(dir);
  } catch (e) {
    return { unavailable: `cannot create ${dir}: ${(e as Error).message}` };
  }
  const file = (f: string) => path.join(dir, f);
  const remove = () => {
    if (existsSync(dir)) rmdirSync(dir);
  };
  if (v2Reason === null) {
    return {
      dir,
      currentBytes: () => readNumber(file('memory.current')),
      limit(bytes) {
        write(file('memory.swap.max'), 0);
        write(file('memory.max'), bytes);
      },
      remove,
    };
  }
  return {
    dir,
    currentBytes: () => readNumber(file('memory.usage_in_bytes')),
    limit(bytes) {
      write(file('memory.limit_in_bytes'), bytes);
      // With swap accounting, memory+swap gets the same limit (it may not be set below the other).
      if (existsSync(file('memory.memsw.limit_in_bytes'))) write(file('memory.memsw.limit_in_bytes'), bytes);
    },
    remove,
  };
}
