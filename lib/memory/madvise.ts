// madvise(2) on this process's memory, off the JS thread.
import { InvalidArgumentError, NotMappedError, NotSupportedError, ThpError } from '../errors.js';
import { callLinux } from '../native/call.js';
import { resolvePageAlignedRange, type MemoryRange } from './range.js';

/**
 * - `hugepage` / `nohugepage`: MADV_HUGEPAGE / MADV_NOHUGEPAGE, hints for page faults and khugepaged;
 * - `collapse`: MADV_COLLAPSE, synchronous collapse of the whole range (see collapse() for per-unit outcomes);
 * - `populate-read` / `populate-write`: MADV_POPULATE_READ / _WRITE (Linux 5.14), fault pages in
 *   without changing their contents.
 */
export type Advice = 'hugepage' | 'nohugepage' | 'collapse' | 'populate-read' | 'populate-write';

export const ADVICE: readonly Advice[] = ['hugepage', 'nohugepage', 'collapse', 'populate-read', 'populate-write'];

/** Applies `advice` to a page-aligned range of this process. Resolves when the kernel has. */
export async function madvise(range: MemoryRange, advice: Advice): Promise<void> {
  if (!ADVICE.includes(advice)) throw new InvalidArgumentError('advice', `one of ${ADVICE.join(', ')}`, advice);
  const { address, length } = resolvePageAlignedRange(range);
  try {
    await callLinux('madvise', {}, (native) => native.memory.madvise(address, length, advice));
  } catch (error) {
    throw explainMadviseError(error, advice, address, length);
  }
}

// madvise's errno means different things per advice; name the likely cause.
function explainMadviseError(error: unknown, advice: Advice, address: bigint, length: number): unknown {
  if (!(error instanceof ThpError) || !('errno' in error)) return error;
  const errno = (error as ThpError & { errno: string }).errno;
  if (errno === 'ENOMEM' && advice !== 'collapse') return new NotMappedError(address, length, 'not entirely mapped in this process');
  if (errno === 'EINVAL' && advice !== 'collapse' && advice !== 'nohugepage') {
    return new NotSupportedError(`madvise '${advice}'`, 'the kernel rejected the advice for this range (EINVAL: unknown advice on this kernel, or a mapping that cannot take it)', { cause: error });
  }
  return error;
}
