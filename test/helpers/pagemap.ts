// Whether the pagemap access source (userfaultfd write-protection + PAGEMAP_SCAN) works here.
import { PagemapSource, AccessMonitor } from '../../lib/index.js';

/** Null when a pagemap-source monitor can be created, else the reason it cannot. */
export function pagemapUnavailable(): string | null {
  try {
    new AccessMonitor({ source: new PagemapSource() });
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
