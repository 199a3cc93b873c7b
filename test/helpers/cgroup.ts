// A throw-away cgroup v2 with its own memory.max, for tests that make memory-cgroup charges
// fail for real. Only as root, only where the cgroup2 hierarchy offers the memory controller
// at its root (a sub-cgroup of the root is exempt from the no-internal-processes rule), and
// removed again by the test. Never changes an existing cgroup's settings.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The cgroup2 mount point, or null when none is mounted. */
function cgroup2Mount(): string | null {
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const [mountFields, fsFields] = line.split(' - ');
    if (fsFields?.startsWith('cgroup2 ')) return mountFields!.split(' ')[4]!;
  }
  return null;
}

export type MemoryCgroup = { dir: string; remove(): void } | { unavailable: string };

/** Creates `<cgroup2 root>/<name>` with the memory controller, or says why it cannot be done here. */
export function createMemoryCgroup(name: string): MemoryCgroup {
  if (process.getuid?.() !== 0) return { unavailable: 'creating a cgroup needs root' };
  const root = cgroup2Mount();
  if (root === null) return { unavailable: 'no cgroup2 hierarchy is mounted' };
  const controllers = readFileSync(path.join(root, 'cgroup.controllers'), 'utf8').trim();
  if (!controllers.split(' ').includes('memory')) {
    return { unavailable: `the cgroup2 hierarchy at ${root} offers no memory controller (controllers: ${controllers || 'none'}); it is bound to cgroup v1 here` };
  }
  const dir = path.join(root, name);
  try {
    if (!readFileSync(path.join(root, 'cgroup.subtree_control'), 'utf8').split(' ').includes('memory')) {
      return { unavailable: `the memory controller is not enabled for children of ${root} (cgroup.subtree_control), and enabling it would change the machine's cgroups` };
    }
    mkdirSync(dir);
  } catch (e) {
    return { unavailable: `cannot create ${dir}: ${(e as Error).message}` };
  }
  return {
    dir,
    remove() {
      if (existsSync(dir)) rmdirSync(dir);
    },
  };
}

/** Sets a cgroup file (memory.max, memory.swap.max) of a cgroup this test created. */
export function setCgroupFile(dir: string, file: string, value: string | number): void {
  writeFileSync(path.join(dir, file), String(value));
}
