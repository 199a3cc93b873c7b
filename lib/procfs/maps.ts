// /proc/<pid>/maps: the virtual memory areas (VMAs) of a process.
import type { NativeVma } from './native.js';
import { parseNative, readNative, requireText } from './read.js';
import { nativePid, type ProcessTarget } from './target.js';

/** One VMA as /proc/<pid>/maps lists it. Addresses are bigints: [vsyscall] lies above 2^53. */
export interface Vma extends NativeVma {
  /** The backing file was removed (the kernel appends " (deleted)" to its path). */
  deleted: boolean;
}

const DELETED_SUFFIX = ' (deleted)';

/** Adds what the raw native VMA leaves implicit. */
export function describeVma<T extends NativeVma>(vma: T): T & { deleted: boolean } {
  return { ...vma, deleted: vma.pathname.endsWith(DELETED_SUFFIX) };
}

/** Parses the text of a /proc/<pid>/maps file. Throws FormatError naming the first bad line. */
export function parseMaps(text: string): Vma[] {
  requireText(text);
  return parseNative('/proc/<pid>/maps', (procfs) => procfs.parseMaps(text)).map(describeVma);
}

/** Reads the VMAs of a process (default: this one), off the JS thread. */
export async function readMaps(pid?: ProcessTarget): Promise<Vma[]> {
  const target = nativePid(pid);
  const vmas = await readNative('/proc/<pid>/maps', target, (procfs) => procfs.readMaps(target));
  return vmas.map(describeVma);
}
