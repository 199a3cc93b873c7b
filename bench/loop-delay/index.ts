// Where the event loop's delay comes from while a program's hot set sits on huge pages: the
// suite's loop-p99 figure (bench/suite) compares the tuner against 4 KiB pages, and this
// benchmark splits that difference into its parts. A reader on the main thread reads a hot
// part at random in 5 ms slices with the event loop served between them (as in the suite);
// each configuration runs in a fresh process, configurations interleaved (order rotated each
// round):
// - 4k: nothing else, 4 KiB pages;
// - huge: the hot part on 2 MiB pages (MADV_HUGEPAGE before the first touch), nothing else;
// - huge+smaps: as huge, and a worker thread reading /proc/self/smaps every 1.5 s (what the
//   referenced source reads at each window opening, and the hugepage_mem_bp goal each quota
//   window through smaps_rollup);
// - huge+monitor: as huge, and an AccessMonitor on the referenced source over the buffer at the
//   recommended monitoring settings;
// - tuner: 4 KiB pages and a HugepageTuner at the recommended settings (it makes the hot part
//   huge during the settle time);
// - tuner+arm-huge: as tuner, with the referenced source arming cells already on huge pages in
//   every window (`hugeInterval: 0`), which it did before that option.
// Figures after the settle time: event-loop delay p99 and p99.9 (monitorEventLoopDelay, 1 ms
// resolution; about one slice when nothing else runs), the slices' overrun (ms per second
// that 5 ms slices ran longer: the reader's thread held up inside a slice), and how often per
// second a slice overran by 2 ms or more ("long slices": stalls of the reader's thread) and a
// turn of the event loop between slices took 2 ms or more ("long turns": JavaScript run there,
// such as the tuner's callbacks and garbage collection). At about 190 slices a second, p99 is
// long once the two together pass about 2 a second.
//
//   npx vite-node bench/loop-delay/index.ts [--rounds 3] [--hot 1024] [--cold 512] [--settle 25] [--measure 20] [--configs 4k,huge,huge+smaps,huge+monitor,tuner,tuner+arm-huge] [--tag t]
import { cpus, loadavg, release } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runChildJson } from '../common/run-child.js';
import { saveResults } from '../common/save.js';
import { median, spread } from '../common/stats.js';
import { formatTable } from '../common/table.js';

const CONFIGS = ['4k', 'huge', 'huge+smaps', 'huge+monitor', 'tuner', 'tuner+arm-huge'];
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    hot: { type: 'string', default: '1024' },
    cold: { type: 'string', default: '512' },
    settle: { type: 'string', default: '25' },
    measure: { type: 'string', default: '20' },
    configs: { type: 'string', default: CONFIGS.join(',') },
    tag: { type: 'string', default: '' },
  },
});
const configs = values.configs.split(',');
for (const c of configs) if (!CONFIGS.includes(c)) throw new Error(`--configs: ${CONFIGS.join(', ')} (comma-separated), not '${c}'`);

interface Result {
  config: string;
  p99Ms: number;
  p999Ms: number;
  overrunMsPerS: number;
  longSlicesPerS: number;
  longGapsPerS: number;
  slices: number;
}

function runChild(config: string): Result {
  return runChildJson<Result>(path.join(__dirname, 'child.ts'), [config, values.hot, values.cold, values.settle, values.measure], config);
}

const rounds = Number(values.rounds);
const results: Record<string, Result[]> = Object.fromEntries(configs.map((c) => [c, []]));
for (let round = 0; round < rounds; round++) {
  for (const config of configs.map((_, i) => configs[(i + round) % configs.length]!)) {
    const r = runChild(config);
    results[config]!.push(r);
    console.error(
      `round ${round + 1}/${rounds} ${config}: p99 ${r.p99Ms.toFixed(2)} ms, overrun ${r.overrunMsPerS.toFixed(1)} ms/s, long slices ${r.longSlicesPerS.toFixed(1)}/s, long turns ${r.longGapsPerS.toFixed(1)}/s`,
    );
  }
}

const fmt = (xs: number[], digits: number) => `${median(xs).toFixed(digits)} ±${spread(xs).toFixed(digits)}`;
const rows = configs.map((c) => {
  const rs = results[c]!;
  return [
    c,
    fmt(
      rs.map((r) => r.p99Ms),
      2,
    ),
    fmt(
      rs.map((r) => r.p999Ms),
      2,
    ),
    fmt(
      rs.map((r) => r.overrunMsPerS),
      1,
    ),
    fmt(
      rs.map((r) => r.longSlicesPerS),
      1,
    ),
    fmt(
      rs.map((r) => r.longGapsPerS),
      1,
    ),
    rs.map((r) => r.p99Ms.toFixed(2)).join(', '),
  ];
});
const text = [
  `CPU: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} CPUs; kernel ${release()}; load average at the end: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
  `hot ${values.hot} MiB, cold ${values.cold} MiB (1 page in 4 resident); settle ${values.settle} s, measure ${values.measure} s; ${rounds} rounds, median ±(max-min)/2`,
  '',
  formatTable(['config', 'loop p99 ms', 'loop p99.9 ms', 'slice overrun ms/s', 'long slices /s', 'long turns /s', 'p99 per round'], rows),
].join('\n');
console.log(text);
saveResults('loop-delay', text, { options: values, results }, values.tag);
