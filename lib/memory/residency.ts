// Which base pages of each huge-page unit are resident, and whether the unit is a real
// PMD-mapped huge page, for this process or another.
import { InvalidArgumentError } from '../errors.js';
import { callLinux } from '../native/call.js';
import { nativePid, type ProcessTarget } from '../procfs/target.js';
import { pageGeometry } from './geometry.js';
import { resolveUnitRange, type MemoryRange } from './range.js';

export interface UnitResidency {
  /** Start of the aligned unit. */
  address: bigint;
  /** Resident base pages in the unit (0 to 512 with 4 KiB pages and 2 MiB units). */
  residentPages: number;
  /** Whether one PMD maps the unit; null when the method cannot tell (`pagemap`). */
  pmdMapped: boolean | null;
  /**
   * Consecutive units this entry stands for: 1, except for a stretch of more than 512 units
   * (1 GiB with 2 MiB units) outside every mapping, reported once with no resident pages.
   */
  units: number;
}

export interface ResidencyOptions {
  /** The process whose memory `range` is (default: this one). */
  pid?: ProcessTarget;
  /**
   * `pagemap-scan` (default where the kernel has it, Linux 6.7+): the PAGEMAP_SCAN ioctl, one
   * call for many units, sees PMD mappings. `pagemap`: reads pagemap entries; any kernel,
   * but cannot tell PMD mappings apart (pmdMapped is null).
   */
  method?: 'pagemap-scan' | 'pagemap';
}

const METHODS = ['pagemap-scan', 'pagemap'] as const;

/** Per whole aligned unit of `range`: resident pages and PMD mapping (see `units` for unmapped stretches). Runs off the JS thread. */
export async function residency(range: MemoryRange, options: ResidencyOptions = {}): Promise<UnitResidency[]> {
  const pid = nativePid(options.pid, 'options.pid');
  const method = options.method ?? (pageGeometry().pagemapScan ? 'pagemap-scan' : 'pagemap');
  if (!METHODS.includes(method)) throw new InvalidArgumentError('options.method', `one of ${METHODS.join(', ')}`, method);
  const { address, length } = resolveUnitRange(range);
  return callLinux('residency', { pid }, (native) => native.memory.residency(address, length, pid, method));
}
