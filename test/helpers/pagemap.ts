// Whether the pagemap access source (userfaultfd write-protection + PAGEMAP_SCAN) works here.
import { sourceUnavailable } from './sources.js';

/** Null when a pagemap-source monitor can be created, else the reason it cannot. */
export const pagemapUnavailable = (): string | null => sourceUnavailable('pagemap');
