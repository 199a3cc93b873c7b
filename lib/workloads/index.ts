export { timeRandomReads, type RandomReadOptions, type RandomReadResult } from './random-reads.js';
