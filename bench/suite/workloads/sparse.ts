// Workload 3: a dense hot set written at random, and many 2 MiB windows of which only a few
// 4 KiB pages are used (one write in 16 goes to them). THP=always turns each window into a
// whole 2 MiB page at its first touch: the memory it wastes here is most of the windows. The
// tuner's bloat bound leaves them on 4 KiB pages, so the accesses to them keep their TLB misses.
import type { Scale } from '../workload.js';
import { RandomAccess } from './random-access.js';
import { typedArrayWorkload } from './typed-array.js';
import { touchPages } from '../memory.js';

const SIZES: Record<Scale, { dense: number; windows: number }> = {
  quick: { dense: 32 * 2 ** 20, windows: 32 },
  full: { dense: 512 * 2 ** 20, windows: 512 },
};
const WINDOW_BYTES = 2 ** 21;
const PAGES_PER_WINDOW = 4;
const SPARSE_ACCESS_LOG2 = 4;

export default typedArrayWorkload({
  name: 'sparse',
  title: `Sparse: a dense hot set, and 2 MiB windows with ${PAGES_PER_WINDOW} pages of 512 used`,
  unit: 'writes',
  tunerCanHelp: true,
  advisor: true,
  describe: (scale) =>
    `one mapping: ${SIZES[scale].dense / 2 ** 20} MiB dense hot set, ${SIZES[scale].windows} windows of 2 MiB with ${PAGES_PER_WINDOW} pages used each (1 write in ${2 ** SPARSE_ACCESS_LOG2})`,
  layout: (scale) => {
    const { dense, windows } = SIZES[scale];
    return {
      bytes: dense + windows * WINDOW_BYTES,
      prepare(words) {
        const denseWords = dense / 4;
        touchPages(words.subarray(0, denseWords));
        // The used pages are spread over each window, as a sparse heap's live objects would be.
        const pageWords = new Uint32Array(windows * PAGES_PER_WINDOW);
        const stride = WINDOW_BYTES / 4 / PAGES_PER_WINDOW;
        for (let i = 0; i < pageWords.length; i++) pageWords[i] = denseWords + i * stride;
        for (const first of pageWords) words[first] = 1;
        return new RandomAccess(words, 0, denseWords, true, { words, pageWords, everyLog2: SPARSE_ACCESS_LOG2 });
      },
      hot: () => [0, dense],
    };
  },
});
