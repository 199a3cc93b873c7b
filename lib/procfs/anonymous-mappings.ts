// The anonymous private mappings of a process as the tuner sees them, reduced natively from
// /proc/<pid>/smaps: a process split into thousands of VMAs (the referenced source makes one
// per 2 MiB cell) costs the JS heap a few objects per read, not thousands of smaps entries.
import type { NativeAnonymousMapping } from './native.js';
import { readNative } from './read.js';
import { nativePid, type ProcessTarget } from './target.js';

/**
 * Private mappings with no file behind them (heap and [anon:name] included, special mappings
 * left out), neighbours that meet at a 2 MiB boundary with the same permissions and
 * collapsibility (writable, not MADV_NOHUGEPAGE) taken as one; off the JS thread.
 */
export async function readAnonymousMappings(pid?: ProcessTarget): Promise<NativeAnonymousMapping[]> {
  const target = nativePid(pid);
  return readNative('/proc/<pid>/smaps', target, (procfs) => procfs.readAnonymousMappings(target));
}
