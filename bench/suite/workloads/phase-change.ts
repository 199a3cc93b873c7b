// Workload 5: a dense mapping whose hot window, a quarter of it, moves to the next quarter at
// each moveHotSet(). What it measures is how soon a tuner puts a hot set that appeared on 2 MiB
// pages, against the time its quota alone would need (bench/suite/phases.ts).
import { touchPages } from '../memory.js';
import type { Scale } from '../workload.js';
import { RandomAccess } from './random-access.js';
import { typedArrayWorkload } from './typed-array.js';

const BYTES: Record<Scale, number> = { quick: 128 * 2 ** 20, full: 2 ** 30 };
const POSITIONS = 4;

const workload = typedArrayWorkload({
  name: 'phase-change',
  title: `Phase change: a hot window of 1/${POSITIONS} of the mapping, written at random, moves to the next quarter`,
  unit: 'writes',
  tunerCanHelp: true,
  describe: (scale) => `one ${BYTES[scale] / 2 ** 20} MiB mapping, every page resident; the hot window (${BYTES[scale] / POSITIONS / 2 ** 20} MiB) moves`,
  layout: (scale) => ({
    bytes: BYTES[scale],
    prepare(words) {
      touchPages(words);
      return new RandomAccess(words, 0, words.length / POSITIONS, true);
    },
    hot: (access) => [access.base * 4, access.windowWords * 4],
  }),
});

export default {
  ...workload,
  moveHotSet() {
    const access = workload.access();
    access.base = (access.base + access.windowWords) % access.words.length;
  },
};
