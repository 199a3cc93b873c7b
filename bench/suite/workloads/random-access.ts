// The access loop of the suite's typed-array workloads: random 32-bit words of a window of a
// Uint32Array, read or incremented, and optionally every 2^k-th access to one of a list of
// pages elsewhere (the cold or sparse pages a workload also uses). One loop for all of them,
// so that they differ only in where their accesses go.
import type { WorkloadRun } from '../workload.js';

/** Accesses that go to a list of pages instead of the window: every 2^everyLog2-th one. */
export interface SideAccesses {
  words: Uint32Array;
  /** Index of the first word of each page that may be accessed. */
  pageWords: Uint32Array;
  everyLog2: number;
}

const WORDS_PER_PAGE = 1024;
/** Accesses between two looks at the clock: a clock read costs as much as tens of accesses. */
const BATCH = 4096;

export class RandomAccess {
  /** xorshift32 state: the cheapest generator whose low bits are uniform enough to index with. */
  #x = 0x9e3779b9 | 0;
  /** Sum of what was read, kept so that reads cannot be optimised away. */
  checksum = 0;

  /**
   * @param words the memory
   * @param base first word of the window accesses go to
   * @param windowWords the window's length in words, a power of two
   */
  constructor(
    readonly words: Uint32Array,
    public base: number,
    readonly windowWords: number,
    readonly write: boolean,
    readonly side: SideAccesses | null = null,
  ) {
    if (windowWords & (windowWords - 1)) throw new Error(`window of ${windowWords} words: a power of two is needed (masking stands for a modulo)`);
  }

  /** Accesses for about `ms` milliseconds. */
  run(ms: number): WorkloadRun {
    const end = performance.now() + ms;
    const { words, base, side, write } = this;
    const mask = this.windowWords - 1;
    const sideMask = side ? (1 << side.everyLog2) - 1 : -1;
    let x = this.#x;
    let sum = 0;
    let ops = 0;
    for (;;) {
      for (let i = 0; i < BATCH; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        let target = words;
        let index = base + (x & mask);
        if ((i & sideMask) === 0 && side !== null) {
          target = side.words;
          index = side.pageWords[(x >>> 10) % side.pageWords.length]! + (x & (WORDS_PER_PAGE - 1));
        }
        if (write) target[index] = (target[index]! + 1) >>> 0;
        else sum += target[index]!;
      }
      ops += BATCH;
      if (performance.now() >= end) break;
    }
    this.#x = x;
    this.checksum = (this.checksum + sum) >>> 0;
    return { ops };
  }
}

/** The first word of every `every`-th page of [fromWord, toWord): the pages a workload touched. */
export function pagesEvery(fromWord: number, toWord: number, every: number): Uint32Array {
  const count = Math.ceil((toWord - fromWord) / (WORDS_PER_PAGE * every));
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = fromWord + i * WORDS_PER_PAGE * every;
  return out;
}
