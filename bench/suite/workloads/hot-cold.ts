// Workload 2: one mapping with a hot part accessed at random and a cold part of which one
// page in four was written once and is touched rarely (one access in 1024 goes there). On
// 4 KiB pages the cold part costs a quarter of its size; THP=always fills every cold 2 MiB
// unit at its first touch (the bloat a tuner should avoid) and gains its speed from the hot
// part. A write variant and a read variant: the tuner's default access source sees writes only.
import { allocate, rangeIn, touchPages } from '../memory.js';
import { afterSetup, type Scale, type Workload } from '../workload.js';
import { pagesEvery, RandomAccess } from './random-access.js';

const SIZES: Record<Scale, { hot: number; cold: number }> = {
  quick: { hot: 64 * 2 ** 20, cold: 64 * 2 ** 20 },
  full: { hot: 2 ** 30, cold: 2 ** 30 },
};
const COLD_EVERY = 4;
const COLD_ACCESS_LOG2 = 10;

function hotCold(kind: 'write' | 'read'): Workload {
  let buffer: ArrayBuffer | null = null;
  let access: RandomAccess | null = null;
  let hotBytes = 0;
  const ready = () => afterSetup(access, `hot-cold-${kind}`);
  return {
    name: `hot-cold-${kind}`,
    title: `Hot/cold: a hot part ${kind === 'write' ? 'written' : 'read'} at random, a cold part (1 page in ${COLD_EVERY} resident) touched rarely`,
    unit: kind === 'write' ? 'writes' : 'reads',
    tunerCanHelp: true,
    advisor: true,
    describe: (scale) =>
      `one mapping: ${SIZES[scale].hot / 2 ** 20} MiB hot (every page resident), ${SIZES[scale].cold / 2 ** 20} MiB cold (1 page in ${COLD_EVERY} resident, 1 access in ${2 ** COLD_ACCESS_LOG2})`,
    async setup(scale) {
      const { hot, cold } = SIZES[scale];
      hotBytes = hot;
      buffer = await allocate(hot + cold);
      const words = new Uint32Array(buffer);
      const hotWords = hot / 4;
      touchPages(words.subarray(0, hotWords));
      touchPages(words.subarray(hotWords), COLD_EVERY);
      access = new RandomAccess(words, 0, hotWords, kind === 'write', { words, pageWords: pagesEvery(hotWords, words.length, COLD_EVERY), everyLog2: COLD_ACCESS_LOG2 });
    },
    run: (ms) => ready().run(ms),
    ...(kind === 'read' ? { runWrites: (ms: number) => ready().run(ms, true) } : {}),
    hotRanges: () => (buffer === null ? [] : [rangeIn(buffer, 0, hotBytes)]),
  };
}

export default [hotCold('write'), hotCold('read')];
