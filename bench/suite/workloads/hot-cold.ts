// Workload 2: one mapping with a hot part accessed at random and a cold part of which one
// page in four was written once and is touched rarely (one access in 1024 goes there). On
// 4 KiB pages the cold part costs a quarter of its size; THP=always fills every cold 2 MiB
// unit at its first touch (the bloat a tuner should avoid) and gains its speed from the hot
// part. A write variant and a read variant: the tuner's default access source sees writes only.
import { touchPages } from '../memory.js';
import type { Scale } from '../workload.js';
import { pagesEvery, RandomAccess } from './random-access.js';
import { typedArrayWorkload } from './typed-array.js';

const SIZES: Record<Scale, { hot: number; cold: number }> = {
  quick: { hot: 64 * 2 ** 20, cold: 64 * 2 ** 20 },
  full: { hot: 2 ** 30, cold: 512 * 2 ** 20 },
};
const COLD_EVERY = 4;
const COLD_ACCESS_LOG2 = 10;

function hotCold(kind: 'write' | 'read') {
  return typedArrayWorkload({
    name: `hot-cold-${kind}`,
    title: `Hot/cold: a hot part ${kind === 'write' ? 'written' : 'read'} at random, a cold part (1 page in ${COLD_EVERY} resident) touched rarely`,
    unit: kind === 'write' ? 'writes' : 'reads',
    tunerCanHelp: true,
    advisor: true,
    reads: kind === 'read',
    describe: (scale) =>
      `one mapping: ${SIZES[scale].hot / 2 ** 20} MiB hot (every page resident), ${SIZES[scale].cold / 2 ** 20} MiB cold (1 page in ${COLD_EVERY} resident, 1 access in ${2 ** COLD_ACCESS_LOG2})`,
    layout: (scale) => {
      const { hot, cold } = SIZES[scale];
      return {
        bytes: hot + cold,
        prepare(words) {
          const hotWords = hot / 4;
          touchPages(words.subarray(0, hotWords));
          touchPages(words.subarray(hotWords), COLD_EVERY);
          return new RandomAccess(words, 0, hotWords, kind === 'write', { words, pageWords: pagesEvery(hotWords, words.length, COLD_EVERY), everyLog2: COLD_ACCESS_LOG2 });
        },
        hot: () => [0, hot],
      };
    },
  });
}

export default [hotCold('write'), hotCold('read')];
