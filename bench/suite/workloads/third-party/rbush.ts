// rbush (an R-tree, by the author of kdbush), the case huge pages cannot help: every item and
// every tree node is a JS object or array in the V8 heap, and V8 maps its heap in pages of
// 256 KiB at scattered addresses, none of which can hold a whole aligned 2 MiB unit (see
// docs/measured-facts.md, "What of a Node process can be on huge pages"). glibc's advice does
// not reach them either: V8 maps its heap itself. The same points and box queries as the
// kdbush workload, so the two differ only in where the index keeps its data.
import RBush from 'rbush';
import { BoxQueries, boxQueriesFor, forEachPoint, type Box } from '../../../common/spatial-queries.js';
import type { Scale, Workload } from '../../workload.js';

/**
 * Points per scale. Each costs about 200 bytes of V8 heap (an object of four numbers and its
 * share of the nodes): 1.2 M points are about 200 MiB of heap, bulk-loaded in 12 to 19 s on the
 * busy build machine; 150 k points, about 30 MiB.
 */
const POINTS: Record<Scale, number> = { quick: 150_000, full: 1_200_000 };
const SEED = 0x7b05;

let tree: RBush<Box> | null = null;
let queries: BoxQueries | null = null;

const workload: Workload = {
  name: 'rbush',
  title: 'rbush: box queries over an R-tree of JS objects in the V8 heap, 90% in a quarter of the space',
  unit: 'queries',
  tunerCanHelp: false,
  advisor: true,
  longWarmup: true,

  setup(scale) {
    const n = POINTS[scale];
    const items: Box[] = new Array<Box>(n);
    forEachPoint(SEED, n, (x, y, i) => {
      items[i] = { minX: x, minY: y, maxX: x, maxY: y };
    });
    // Bulk loading (OMT) packs the tree as a static index like kdbush's, rather than inserting one by one.
    tree = new RBush<Box>().load(items);
    queries = new BoxQueries(SEED + 1, n);
  },

  run(ms) {
    const t = tree!;
    return { ops: boxQueriesFor(ms, queries!, 'rbush', (box) => t.search(box).length) };
  },
  // No hotRanges(): the hot items are V8 heap objects, whose addresses are not exposed and move
  // when the garbage collector compacts.
};

export default workload;
