// Workload 5: a dense mapping whose hot window, a quarter of it, moves to the next quarter at
// each moveHotSet(). What it measures is how soon a tuner puts a hot set that appeared on 2 MiB
// pages, against the time its quota alone would need (bench/suite/phases.ts).
import { allocate, rangeIn, touchPages } from '../memory.js';
import { afterSetup, type Scale, type Workload } from '../workload.js';
import { RandomAccess } from './random-access.js';

const BYTES: Record<Scale, number> = { quick: 128 * 2 ** 20, full: 2 ** 30 };
const POSITIONS = 4;

let buffer: ArrayBuffer | null = null;
let access: RandomAccess | null = null;
let position = 0;

const ready = () => afterSetup(access, 'phase-change');

const workload: Workload = {
  name: 'phase-change',
  title: `Phase change: a hot window of 1/${POSITIONS} of the mapping, written at random, moves to the next quarter`,
  unit: 'writes',
  tunerCanHelp: true,
  describe: (scale) => `one ${BYTES[scale] / 2 ** 20} MiB mapping, every page resident; the hot window (${BYTES[scale] / POSITIONS / 2 ** 20} MiB) moves`,
  async setup(scale) {
    buffer = await allocate(BYTES[scale]);
    const words = new Uint32Array(buffer);
    touchPages(words);
    access = new RandomAccess(words, 0, words.length / POSITIONS, true);
  },
  run: (ms) => ready().run(ms),
  hotRanges: () => {
    if (buffer === null) return [];
    const window = buffer.byteLength / POSITIONS;
    return [rangeIn(buffer, position * window, window)];
  },
  moveHotSet: () => {
    const a = ready();
    position = (position + 1) % POSITIONS;
    a.base = position * a.windowWords;
  },
};

export default workload;
