// Workload 4: a large Map of small objects under random lookups and steady allocation (one
// lookup in eight replaces the record it found with a new one, so the garbage collector runs
// all the time). All of it lives in V8's JavaScript heap: on Node 20 that heap is thousands of
// 256 KiB mappings at scattered addresses, none holding a whole aligned 2 MiB unit, so no
// tuner and no THP setting can put it on huge pages (docs/measured-facts.md). What this
// workload shows is what each configuration costs where it cannot help.
import { afterSetup, type Scale, type Workload } from '../workload.js';

const ENTRIES: Record<Scale, number> = { quick: 100_000, full: 1_500_000 };
const BATCH = 1024;
const REPLACE_MASK = 7;

interface Entry {
  id: number;
  name: string;
  score: number;
  tags: number[];
}

function entry(id: number): Entry {
  return { id, name: `user-${id.toString(36)}`, score: id % 1000, tags: [id & 7, id & 15, id & 31] };
}

let map: Map<number, Entry> | null = null;
let size = 0;
let x = 0x2545f491;
let checksum = 0;

const workload: Workload = {
  name: 'v8-heap',
  title: 'V8 heap: a large Map of small objects, random lookups and steady allocation',
  unit: 'lookups',
  tunerCanHelp: false,
  advisor: true,
  longWarmup: true,
  describe: (scale) => `a Map of ${ENTRIES[scale].toLocaleString('en-US')} objects in the JavaScript heap; 1 lookup in ${REPLACE_MASK + 1} replaces its record`,
  setup(scale) {
    size = ENTRIES[scale];
    map = new Map();
    for (let id = 0; id < size; id++) map.set(id, entry(id));
  },
  run(ms) {
    const m = afterSetup(map, 'v8-heap');
    const end = performance.now() + ms;
    let ops = 0;
    let sum = 0;
    do {
      for (let i = 0; i < BATCH; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        const id = (x >>> 0) % size;
        const e = m.get(id)!;
        sum += e.score + e.tags.length;
        if ((i & REPLACE_MASK) === 0) m.set(id, entry(id + size));
      }
      ops += BATCH;
    } while (performance.now() < end);
    checksum = (checksum + sum) >>> 0;
    return { ops };
  },
};

export default workload;
