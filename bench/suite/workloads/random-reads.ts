// Workload 1: random 32-bit reads over a large, dense typed array (GUPS-like). Every page is
// resident and read, so THP=always adds no memory here and the whole array is the hot set:
// the question is only how much of THP=always's speedup a configuration keeps.
import { allocate, rangeIn, touchPages } from '../memory.js';
import { afterSetup, type Scale, type Workload } from '../workload.js';
import { RandomAccess } from './random-access.js';

const BYTES: Record<Scale, number> = { quick: 64 * 2 ** 20, full: 2 ** 30 };

let buffer: ArrayBuffer | null = null;
let access: RandomAccess | null = null;

const ready = () => afterSetup(access, 'random-reads');

const workload: Workload = {
  name: 'random-reads',
  title: 'Random 32-bit reads over a dense typed array (GUPS-like)',
  unit: 'reads',
  tunerCanHelp: true,
  advisor: true,
  describe: (scale) => `one ${BYTES[scale] / 2 ** 20} MiB Uint32Array, every page resident, read at random`,
  async setup(scale) {
    buffer = await allocate(BYTES[scale]);
    const words = new Uint32Array(buffer);
    touchPages(words);
    access = new RandomAccess(words, 0, words.length, false);
  },
  run: (ms) => ready().run(ms),
  runWrites: (ms) => ready().run(ms, true),
  hotRanges: () => (buffer === null ? [] : [rangeIn(buffer, 0, buffer.byteLength)]),
};

export default workload;
