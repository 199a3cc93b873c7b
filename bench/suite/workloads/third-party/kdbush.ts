// kdbush (a static k-d tree of points, by the author of rbush): the whole index is one
// ArrayBuffer (point ids, then their coordinates, in tree order), a large `new ArrayBuffer`
// that Node allocates with glibc malloc, i.e. its own anonymous mapping: huge pages can hold
// it, whether glibc advises them (GLIBC_TUNABLES=glibc.malloc.hugetlb=1), THP=always gives them
// at fault, or MADV_COLLAPSE makes them later. Each query descends the tree from the root,
// reading one median point per level, each level's far from the last in the array, so a query
// over a few hundred MiB touches a new 4 KiB page at nearly every level.
import KDBush from 'kdbush';
import { addressOf } from '../../../../lib/memory/index.js';
import { BoxQueries, boxQueriesFor, forEachPoint, inHotRegion } from '../../../common/spatial-queries.js';
import { UnitSet } from '../../../common/unit-ranges.js';
import type { HotRange, Scale, Workload } from '../../workload.js';

/**
 * Points per scale. Building sorts them in JS, about 1 s per million points on the busy build
 * machine (20 M took 20 to 26 s): 14 M points are 267 MiB of index (4 bytes of id and 16 of
 * coordinates each), 22 times the 12 MiB the L2 TLB reaches with 4 KiB pages. 1 M points:
 * 19 MiB, built in about 1 s.
 */
const POINTS: Record<Scale, number> = { quick: 1_000_000, full: 14_000_000 };
const SEED = 0x6b64;

let index: KDBush | null = null;
let queries: BoxQueries | null = null;

const workload: Workload = {
  name: 'kdbush',
  title: 'kdbush: box queries over a static k-d tree of points in one ArrayBuffer, 90% in a quarter of the space',
  unit: 'queries',
  tunerCanHelp: true,

  setup(scale) {
    const n = POINTS[scale];
    const built = new KDBush(n);
    forEachPoint(SEED, n, (x, y) => built.add(x, y));
    built.finish();
    index = built;
    queries = new BoxQueries(SEED + 1, n);
  },

  run(ms) {
    const idx = index!;
    return { ops: boxQueriesFor(ms, queries!, 'kdbush', (box) => idx.range(box.minX, box.minY, box.maxX, box.maxY).length) };
  },

  /**
   * The ids and coordinates of the hot region's points (a quarter of the arrays, in tree
   * order). The medians a query passes on its way down from the root lie outside it: a few
   * pages in a handful of units, left out.
   */
  hotRanges(): HotRange[] {
    const idx = index!;
    const ids = addressOf(idx.ids);
    const coords = addressOf(idx.coords);
    const units = new UnitSet();
    for (let p = 0; p < idx.numItems; p++) {
      if (!inHotRegion(idx.coords[2 * p]!, idx.coords[2 * p + 1]!)) continue;
      units.add(ids + BigInt(p * idx.ids.BYTES_PER_ELEMENT), idx.ids.BYTES_PER_ELEMENT);
      units.add(coords + BigInt(2 * p * idx.coords.BYTES_PER_ELEMENT), 2 * idx.coords.BYTES_PER_ELEMENT);
    }
    return units.ranges();
  },
};

export default workload;
