// Sampler cost: CPU time of the monitor thread per second of wall time, at 1000 regions
// with 5 ms sampling and 100 ms aggregation, for 1, 4 and 16 GiB monitored. DAMON's design
// bound is a cost independent of the monitored size (target: at most 1% of one core, flat
// within 20% across sizes).
//
// Three sources: `pattern` (no memory behind it: the monitoring core's own cost), `sim` (page-table test-and-clear in the simulator: the core's own cost plus
// a software page walk per region and sample, the kernel's cost model) and `pagemap` (real
// memory of this process: two PAGEMAP_SCAN ioctls per region and sample); `pagemap-low` is the
// pagemap source at the worst case of the library's pagemapLowOverhead preset instead of 1000
// regions at 5 ms: its 50 regions all kept (min = max) and sampled at its 50 ms floor (on
// this untouched memory auto-tuning would lengthen the interval and merging would leave 10
// regions). The thread's CPU
// time comes from clock_gettime(CLOCK_THREAD_CPUTIME_ID) read on the thread itself.
//
//   npx vite-node bench/sampler-cost/index.ts [--sizes 1,4,16] [--seconds 3] [--sources pattern,sim,pagemap,pagemap-low] [--tag run1]
import { parseArgs } from 'node:util';
import { AccessMonitor, PagemapSource, PatternSource, SimulatedSource, pagemapLowOverhead, type AccessSource, type MonitorAttributes, type MonitorSnapshot } from '../../lib/index.js';
import { addressOf, allocAlignedSegments } from '../../lib/memory/index.js';
import { formatTable } from '../common/table.js';
import { saveResults } from '../common/save.js';

const GiB = 2 ** 30;
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1,4,16' },
    seconds: { type: 'string', default: '3' },
    sources: { type: 'string', default: 'pattern,sim,pagemap,pagemap-low' },
    tag: { type: 'string', default: '' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const seconds = Number(values.seconds);
const sources = values.sources.split(',') as Kind[];
type Kind = 'pattern' | 'sim' | 'pagemap' | 'pagemap-low';
const SIM_BASE = 0x7f00_0000_0000;

interface Row {
  source: string;
  sizeGiB: number;
  regions: number;
  cpuPerWall: number;
  msPerAggregation: number;
  aggregations: number;
}

async function measure(source: Kind, sizeGiB: number): Promise<Row> {
  const bytes = sizeGiB * GiB;
  let start = SIM_BASE;
  // Holds the pagemap run's buffers until the measurement ends.
  // eslint-disable-next-line no-useless-assignment -- the other sources never read it
  let keep: ArrayBuffer[] = [];
  let accessSource: AccessSource;
  if (source === 'pattern') {
    accessSource = new PatternSource();
  } else if (source === 'sim') {
    accessSource = new SimulatedSource({ mappings: [{ start, end: start + bytes }] });
  } else {
    // One mapping, never touched: its pages are write-protected as unpopulated (markers).
    keep = allocAlignedSegments(bytes);
    start = Number(addressOf(keep[0]!));
    accessSource = new PagemapSource();
  }
  const { intervalsGoal: _tunedUpward, ...lowOverheadFloor } = pagemapLowOverhead;
  const attributes: MonitorAttributes =
    source === 'pagemap-low' ? { ...lowOverheadFloor, minRegions: lowOverheadFloor.maxRegions! } : { sampleInterval: '5ms', aggregationInterval: '100ms', minRegions: 1000, maxRegions: 1000 };
  const m = new AccessMonitor({
    monitoring: attributes,
    targets: [{ ranges: [{ start, end: start + bytes }] }],
    source: accessSource,
  });
  const snaps: MonitorSnapshot[] = [];
  m.on('aggregate', (s) => snaps.push(s));
  m.start();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  await m.stop();
  // eslint-disable-next-line no-useless-assignment -- drops the buffers so the next size's run does not hold them
  keep = [];
  // From the first aggregation on (start-up, including target construction, excluded).
  if (snaps.length < 2) throw new Error(`${source} at ${sizeGiB} GiB delivered ${snaps.length} aggregations in ${seconds} s: give it more --seconds`);
  const first = snaps[0]!;
  const last = snaps.at(-1)!;
  return {
    source,
    sizeGiB,
    regions: last.regions.length,
    cpuPerWall: (last.threadCpuMs - first.threadCpuMs) / (last.timeMs - first.timeMs),
    msPerAggregation: (last.timeMs - first.timeMs) / (last.aggregation - first.aggregation),
    aggregations: snaps.length,
  };
}

const rows: Row[] = [];
for (const source of sources) for (const size of sizes) rows.push(await measure(source, size));

const table = formatTable(
  ['source', 'monitored', 'regions', 'thread CPU / wall', 'ms per aggregation', 'flat vs 1 GiB'],
  rows.map((r) => {
    const base = rows.find((b) => b.source === r.source && b.sizeGiB === sizes[0])!;
    return [r.source, `${r.sizeGiB} GiB`, String(r.regions), `${(r.cpuPerWall * 100).toFixed(2)}%`, r.msPerAggregation.toFixed(1), `${(r.cpuPerWall / base.cpuPerWall).toFixed(2)}x`];
  }),
);
const header = `monitor thread CPU per wall second, 5 ms / 100 ms (100 ms nominal per aggregation), min=max=1000 regions (pagemap-low: the pagemapLowOverhead preset's worst case, 50 regions at 50 ms / 1 s), ${seconds} s per row`;
console.log(header + '\n' + table);
saveResults('sampler-cost', header + '\n' + table, { seconds, rows }, values.tag);
