// lru-cache (the most downloaded cache on npm) holding Buffers, as a service caches rendered
// responses or serialized objects: the values are Buffers of 0.5 to 4 KiB, which Node carves
// from 8 KiB pools allocated with glibc malloc, i.e. in the process's malloc heap, outside the V8
// heap. Huge pages can hold that heap (GLIBC_TUNABLES=glibc.malloc.hugetlb=1 advises them as it
// grows, MADV_COLLAPSE after); the cache's own bookkeeping, a Map from key to slot and JS
// arrays of keys and values, stays in the V8 heap, which they cannot hold. So one get() is a
// lookup in V8 heap objects (out of the tuner's reach) and a read of a value (within it).
import { LRUCache } from 'lru-cache';
import { addressOf } from '../../../../lib/memory/index.js';
import { hotColdIndex, HOT_FRACTION, SeededRandom } from '../../../common/seeded.js';
import { opsFor } from '../../../common/timed-loop.js';
import { UnitSet } from '../../../common/unit-ranges.js';
import type { Scale, Workload } from '../../workload.js';

/**
 * Entries per scale, about 2.3 KiB of value each: 240 k entries are about 540 MiB of values,
 * 690 MiB of malloc heap with what the 8 KiB pools leave unused, filled in 9 to 14 s here
 * (most of it the first touch of each page, which this VM's hypervisor makes cost about 20 us);
 * 12 k entries, 27 MiB.
 */
const ENTRIES: Record<Scale, number> = { quick: 12_000, full: 240_000 };
const SEED = 0x1ec4;
/** Bytes read per get: four 32-bit words of one value, as a reader of a header or record would. */
const WORDS_READ = 4;

interface State {
  cache: LRUCache<string, Buffer>;
  keys: string[];
  rng: SeededRandom;
}
let state: State | null = null;

const workload: Workload = {
  name: 'lru-cache',
  title: 'lru-cache: get() of Buffer values (0.5-4 KiB, malloc heap) by string key, 90% on a quarter of the keys',
  unit: 'lookups',
  tunerCanHelp: true,
  advisor: true,
  longWarmup: true,

  setup(scale) {
    const n = ENTRIES[scale];
    const rng = new SeededRandom(SEED);
    // Room for every entry: the measured phase only reads, as a warm cache mostly does.
    const cache = new LRUCache<string, Buffer>({ max: n });
    const keys: string[] = [];
    for (let i = 0; i < n; i++) {
      const key = `/objects/${i.toString(36)}`;
      const value = Buffer.allocUnsafe(512 + rng.below(4096 - 512));
      value.fill(i & 0xff);
      cache.set(key, value);
      keys.push(key);
    }
    state = { cache, keys, rng };
  },

  run(ms) {
    const { cache, keys, rng } = state!;
    const pick = hotColdIndex; // a local binding: vite-node reads imported functions through a getter per call
    const get = () => {
      const value = cache.get(keys[pick(rng, keys.length)]!);
      if (value === undefined) throw new Error('lru-cache: an entry that was set is missing');
      const at = 4 * rng.below((value.length >>> 2) - WORDS_READ + 1);
      let sum = 0;
      for (let w = 0; w < WORDS_READ; w++) sum += value.readUInt32LE(at + 4 * w);
      return sum;
    };
    // Every value is filled with its index's low byte: only entry 0's words are all zero.
    return { ops: opsFor(ms, 64, get, 'lru-cache: the values read were all zero') };
  },

  /** The hot keys' values: they were allocated first, so they fill the start of the malloc heap. */
  hotRanges() {
    const { cache, keys } = state!;
    const units = new UnitSet();
    for (const key of keys.slice(0, Math.ceil(keys.length * HOT_FRACTION))) {
      const value = cache.peek(key)!;
      units.add(addressOf(value), value.length);
    }
    return units.ranges();
  },
};

export default workload;
