// Whether an access source of this process's own memory works here.
import { AccessMonitor, PagemapSource, ReferencedSource } from '../../lib/index.js';

/** Null when a monitor with this source can be created, else the reason it cannot. */
export function sourceUnavailable(kind: 'pagemap' | 'referenced'): string | null {
  try {
    new AccessMonitor({ source: kind === 'pagemap' ? new PagemapSource() : new ReferencedSource() });
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
