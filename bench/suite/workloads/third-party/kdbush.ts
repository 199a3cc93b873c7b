// kdbush (a static k-d tree of points, by the author of rbush): the whole index is one
// ArrayBuffer (point ids, then their coordinates, in tree order), a large `new ArrayBuffer`
// that Node allocates with glibc malloc, i.e. its own anonymous mapping: huge pages can hold
// it, whether glibc advises them (GLIBC_TUNABLES=glibc.malloc.hugetlb=1), THP=always gives them
// at fault, or MADV_COLLAPSE makes them later. Each query descends the tree from the root,
// reading one median point per level, each level's far from the last in the array, so a query
// over a few hundred MiB touches a new 4 KiB page at nearly every level.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import KDBush from 'kdbush';
import { addressOf } from '../../../../lib/memory/index.js';
import { BoxQueries, boxQueriesFor, forEachPoint, inHotRegion } from '../../../common/spatial-queries.js';
import { UnitSet } from '../../../common/unit-ranges.js';
import type { HotRange, Scale, Workload } from '../../workload.js';

/**
 * Points per scale: 40 M points are 763 MiB of index (4 bytes of id and 16 of coordinates
 * each), 1 M points 19 MiB. The size matters: on the build machine, with the hot quarter
 * 190 MiB, queries ran 1.5x faster once collapsed, while at 14 M points (267 MiB, hot 67 MiB)
 * they gained nothing measurable: the page-table entries of the smaller hot set stay in the
 * CPU's caches, so a TLB miss costs little.
 */
const POINTS: Record<Scale, number> = { quick: 1_000_000, full: 40_000_000 };
const SEED = 0x6b64;

/**
 * Building sorts the points in JS, about 1 s per million on the build machine, so an index
 * larger than a few million points is built once and kept in the temporary directory, and
 * later setups load it with KDBush.from() (the package's way to restore a serialized index):
 * reading 763 MiB takes a few seconds, mostly the first touch of each page. The name holds
 * everything the contents depend on.
 */
function cachedIndex(n: number): KDBush {
  // The package exports only its entry point, so its package.json is read beside it.
  const entry = createRequire(import.meta.url).resolve('kdbush');
  const { version } = JSON.parse(readFileSync(path.join(path.dirname(entry), 'package.json'), 'utf8')) as { version: string };
  const file = path.join(tmpdir(), 'thp-autotune-bench', `kdbush-${version}-${n}-${SEED}.bin`);
  if (existsSync(file)) {
    const bytes = readFileSync(file);
    // readFileSync gives a file this large its own ArrayBuffer; KDBush.from needs exactly that.
    if (bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length) return KDBush.from(bytes.buffer);
  }
  const built = buildIndex(n);
  mkdirSync(path.dirname(file), { recursive: true });
  // Written under a temporary name and renamed, so that a setup interrupted while writing never leaves a partial index for the next.
  writeFileSync(`${file}.${process.pid}`, new Uint8Array(built.data));
  renameSync(`${file}.${process.pid}`, file);
  return built;
}

function buildIndex(n: number): KDBush {
  const built = new KDBush(n);
  forEachPoint(SEED, n, (x, y) => built.add(x, y));
  return built.finish();
}

let index: KDBush | null = null;
let queries: BoxQueries | null = null;
let hot: HotRange[] | null = null;

const workload: Workload = {
  name: 'kdbush',
  title: 'kdbush: box queries over a static k-d tree of points in one ArrayBuffer, 90% in a quarter of the space',
  unit: 'queries',
  tunerCanHelp: true,
  advisor: true,
  longWarmup: true,

  setup(scale) {
    const n = POINTS[scale];
    index = scale === 'full' ? cachedIndex(n) : buildIndex(n);
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
    // Computed once (a pass over every point): the suite may ask again while it waits for the hot set to become huge.
    if (hot !== null) return hot;
    const idx = index!;
    // Numbers, not bigints, per point: user-space addresses are below 2^47.
    const ids = Number(addressOf(idx.ids));
    const coords = Number(addressOf(idx.coords));
    const idBytes = idx.ids.BYTES_PER_ELEMENT;
    const pointBytes = 2 * idx.coords.BYTES_PER_ELEMENT;
    const units = new UnitSet();
    // A local binding: vite-node turns a call of an imported function into a property read
    // through a getter per call, 80 ns here, which over 40 M points is 3 s.
    const hotRegion = inHotRegion;
    // Runs of consecutive hot positions, each marked once: tree order keeps the region's points together.
    let first = -1;
    for (let p = 0; p <= idx.numItems; p++) {
      const isHot = p < idx.numItems && hotRegion(idx.coords[2 * p]!, idx.coords[2 * p + 1]!);
      if (isHot && first < 0) first = p;
      if (!isHot && first >= 0) {
        units.add(ids + first * idBytes, (p - first) * idBytes);
        units.add(coords + first * pointBytes, (p - first) * pointBytes);
        first = -1;
      }
    }
    hot = units.ranges();
    return hot;
  },
};

export default workload;
