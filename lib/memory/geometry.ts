// Page sizes of the running kernel, read once from the addon.
import { callLinuxSync } from '../native/call.js';

export interface PageGeometry {
  /** The base page size, 4096 on x86-64. */
  basePageSize: number;
  /** The PMD huge-page size from hpage_pmd_size, 2 MiB on x86-64. */
  hugePageSize: number;
  /** Whether the kernel answers the PAGEMAP_SCAN ioctl (Linux 6.7+). */
  pagemapScan: boolean;
}

let cached: PageGeometry | undefined;

/** The base and huge page sizes this kernel uses. Linux only. */
export function pageGeometry(): PageGeometry {
  cached ??= callLinuxSync('pageGeometry', {}, (native) => native.memory.geometry());
  return cached;
}
