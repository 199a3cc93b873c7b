// What the suite's typed-array workloads share: one buffer allocated as a service would
// (memory.ts), a layout that touches its pages and says where the accesses go, the random
// access loop of random-access.ts, and the hot ranges the layout names. Each workload file is
// then only its layout.
import { allocate, rangeIn } from '../memory.js';
import { afterSetup, type HotRange, type Scale, type Workload } from '../workload.js';
import { RandomAccess } from './random-access.js';

export interface Layout {
  /** Bytes of the one buffer at this scale. */
  bytes: number;
  /** Touches the pages that will be used and makes the access loop. */
  prepare(words: Uint32Array): RandomAccess;
  /** [offset, length] in bytes of the hot part, given the loop (which may have moved it). */
  hot(access: RandomAccess): [number, number];
}

export type TypedArrayWorkload = Omit<Workload, 'setup' | 'run' | 'hotRanges'> & {
  layout(scale: Scale): Layout;
};

export function typedArrayWorkload(spec: TypedArrayWorkload): Workload & { access(): RandomAccess } {
  const { layout, ...identity } = spec;
  let state: { buffer: ArrayBuffer; access: RandomAccess; layout: Layout } | null = null;
  const ready = () => afterSetup(state, spec.name);
  return {
    ...identity,
    async setup(scale) {
      const l = layout(scale);
      const buffer = await allocate(l.bytes);
      state = { buffer, access: l.prepare(new Uint32Array(buffer)), layout: l };
    },
    run: (ms) => ready().access.run(ms),
    hotRanges(): HotRange[] {
      if (state === null) return [];
      const [offset, length] = state.layout.hot(state.access);
      return [rangeIn(state.buffer, offset, length)];
    },
    access: () => ready().access,
  };
}
