// Workload 1: random 32-bit reads over a large, dense typed array (GUPS-like). Every page is
// resident and read, so THP=always adds no memory here and the whole array is the hot set:
// the question is only how much of THP=always's speedup a configuration keeps.
import { touchPages } from '../memory.js';
import type { Scale } from '../workload.js';
import { RandomAccess } from './random-access.js';
import { typedArrayWorkload } from './typed-array.js';

const BYTES: Record<Scale, number> = { quick: 64 * 2 ** 20, full: 2 ** 30 };

export default typedArrayWorkload({
  name: 'random-reads',
  title: 'Random 32-bit reads over a dense typed array (GUPS-like)',
  unit: 'reads',
  tunerCanHelp: true,
  advisor: true,
  reads: true,
  describe: (scale) => `one ${BYTES[scale] / 2 ** 20} MiB Uint32Array, every page resident, read at random`,
  layout: (scale) => ({
    bytes: BYTES[scale],
    prepare(words) {
      touchPages(words);
      return new RandomAccess(words, 0, words.length, false);
    },
    hot: () => [0, BYTES[scale]],
  }),
});
