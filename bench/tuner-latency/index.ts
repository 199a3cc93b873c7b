// Time to huge pages on real memory: the scenario of test/tuner/real-memory.test.ts (a child
// process with a 2 GiB allocAligned buffer whose 256 MiB hot part is written continuously and
// the rest touched once; default intervals; a time quota per second), run several times in
// a row. The target: the hot part on AnonHugePages within 5 s of start. The test asserts no
// time (timing targets live here, not in tests); this prints the distribution. Each run gives
// up after 10 s without progress. Needs the built package (`npm run build`).
//
//   npx vite-node bench/tuner-latency/index.ts [--runs 10] [--quota 500ms]
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { median } from '../common/stats.js';
import { formatTable } from '../common/table.js';
import { saveResults } from '../common/save.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' }, quota: { type: 'string', default: '500ms' } } });
const runs = Number(values.runs);
const TARGET_MS = 5000;
const child = path.resolve(__dirname, '../../test/tuner/fixtures/tuner-child.cjs');
const dist = path.resolve(__dirname, '../../dist/index.cjs');
const HOT = new Set(Array.from({ length: 128 }, (_, i) => 256 + i));

interface Run {
  hot95AtMs: number | null;
  hotHugeAtMs: number | null;
  collapsed: number;
  msPerUnit: number;
  coldHuge: number;
  wrongPages: number;
}

const results: Run[] = [];
for (let i = 0; i < runs; i++) {
  const r = spawnSync(process.execPath, [child, dist, values.quota, '10000', '80%'], { encoding: 'utf8', timeout: 60_000 });
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  if (out.fatal) throw new Error(out.fatal);
  const run: Run = {
    hot95AtMs: out.hot95AtMs,
    hotHugeAtMs: out.hotHugeAtMs,
    collapsed: out.units.collapsed,
    msPerUnit: out.actionMs / Math.max(1, out.units.collapsed),
    coldHuge: (out.hugeUnits as number[]).filter((u) => !HOT.has(u)).length,
    wrongPages: out.wrongPages,
  };
  results.push(run);
  console.log(`run ${i + 1}: 95% at ${run.hot95AtMs} ms, all at ${run.hotHugeAtMs} ms`);
}

const ms = (v: number | null) => (v === null ? 'never' : String(v));
const table = formatTable(
  ['run', 'hot 95% huge (ms)', 'hot all huge (ms)', 'units collapsed', 'collapse ms/unit', 'cold units huge', 'pages changed'],
  results.map((r, i) => [String(i + 1), ms(r.hot95AtMs), ms(r.hotHugeAtMs), String(r.collapsed), r.msPerUnit.toFixed(2), String(r.coldHuge), String(r.wrongPages)]),
);
const reached = (pick: (r: Run) => number | null) => results.map(pick).map((v) => v ?? Infinity);
const summary = (label: string, pick: (r: Run) => number | null) => {
  const v = reached(pick);
  return `${label}: median ${median(v)} ms, max ${Math.max(...v)} ms, within ${TARGET_MS} ms in ${v.filter((x) => x <= TARGET_MS).length}/${runs} runs`;
};
const header = `time to huge pages, real memory: 2 GiB buffer, 256 MiB written hot part (126 dense units), time quota ${values.quota} per second, ${runs} runs in a row`;
const text = [header, table, summary('hot 95% huge', (r) => r.hot95AtMs), summary('hot all huge', (r) => r.hotHugeAtMs)].join('\n');
console.log(text);
saveResults('tuner-latency', text, { quota: values.quota, results });
