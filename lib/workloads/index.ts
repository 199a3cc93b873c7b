export { collapseSegments, populateSmallPages, type CollapseTotals } from './page-setup.js';
export { timeRandomReads, type RandomReadOptions, type RandomReadResult } from './random-reads.js';
