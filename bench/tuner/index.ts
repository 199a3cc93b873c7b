// The tuner against 4 KiB pages and THP=always on real memory: a dense hot set of several GiB
// written at random (the TLB-bound part), a cold set touched once, and sparse memory (one
// page in 8 touched: what THP=always bloats). Each configuration runs in a fresh process;
// configurations are interleaved round by round and repeated (this VM can be off by 2x in
// one run of several), and medians with half-ranges are reported, with the two figures of
// the DAMON evaluation (docs/design-notes.md, "The DAMON evaluation"):
//   speedup kept  = (tuner throughput / 4k − 1) / (always throughput / 4k − 1)
//   bloat removed = 1 − (tuner RSS − 4k RSS) / (always RSS − 4k RSS)
// and the event-loop p99 delay with the tuner running versus stopped (same process).
//
//   npx vite-node bench/tuner/index.ts [--hot 4] [--cold 1] [--sparse 2] [--rounds 3] [--warmup 50] [--measure 8] [--time-quota 500ms]
//     [--sample 5ms] [--aggregation 100ms] [--max-regions 1000]   (the tuner's monitoring; defaults are the RFC's)
//     [--access write|read]   (the hot loop writes, or only reads, its random words)
//     [--source referenced|pagemap]   (the tuner's access source)
//     [--name tuner]   (results go to bench/results/<name>-<date>.txt and .json)
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { median, spread } from '../common/stats.js';
import { formatTable } from '../common/table.js';

const { values } = parseArgs({
  options: {
    hot: { type: 'string', default: '4' },
    cold: { type: 'string', default: '1' },
    sparse: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '50' },
    measure: { type: 'string', default: '8' },
    'time-quota': { type: 'string', default: '500ms' },
    sample: { type: 'string', default: '5ms' },
    aggregation: { type: 'string', default: '100ms' },
    'max-regions': { type: 'string', default: '1000' },
    access: { type: 'string', default: 'write' },
    source: { type: 'string', default: 'referenced' },
    name: { type: 'string', default: 'tuner' },
  },
});
const CONFIGS = ['4k', 'always', 'tuner'] as const;
type Config = (typeof CONFIGS)[number];
interface Result {
  config: Config;
  accessesPerSecond: number;
  rssBytes: number;
  anonHugeBytes: number;
  hugeOfHot: number;
  hotHugeAtS: number | null;
  eventLoop: { on: number[]; off: number[] };
  collapsed: number | null;
  actionMs: number | null;
  addedBytes: number | null;
}

const root = path.resolve(__dirname, '../..');
function runChild(config: Config): Result {
  const args = [
    config,
    values.hot,
    values.cold,
    values.sparse,
    values.warmup,
    values.measure,
    values['time-quota'],
    values.sample,
    values.aggregation,
    values['max-regions'],
    values.access,
    values.source,
  ];
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/vite-node/vite-node.mjs'), path.join(__dirname, 'child.ts'), '--', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (r.status !== 0) throw new Error(`${config} child failed (${r.status ?? r.signal}): ${r.stderr}`);
  if (r.stderr.trim()) process.stderr.write(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Result;
}

const rounds = Number(values.rounds);
const results: Record<Config, Result[]> = { '4k': [], always: [], tuner: [] };
for (let round = 0; round < rounds; round++) {
  // Rotate the order so that drift within a round does not favour one configuration.
  const order = CONFIGS.map((_, i) => CONFIGS[(i + round) % CONFIGS.length]!);
  for (const config of order) {
    const r = runChild(config);
    results[config].push(r);
    console.error(
      `round ${round + 1}/${rounds} ${config}: ${(r.accessesPerSecond / 1e6).toFixed(2)} M ${values.access}s/s, RSS ${(r.rssBytes / 2 ** 30).toFixed(2)} GiB, AnonHugePages ${(r.anonHugeBytes / 2 ** 30).toFixed(2)} GiB`,
    );
  }
}

const GiB = 2 ** 30;
const med = (c: Config, f: (r: Result) => number) => median(results[c].map(f));
const fmt = (c: Config, f: (r: Result) => number, scale: number, digits: number) => `${(med(c, f) / scale).toFixed(digits)} ±${(spread(results[c].map(f)) / scale).toFixed(digits)}`;
const rows = CONFIGS.map((c) => [
  c,
  fmt(c, (r) => r.accessesPerSecond, 1e6, 2),
  `${(med(c, (r) => r.accessesPerSecond) / med('4k', (r) => r.accessesPerSecond)).toFixed(3)}x`,
  fmt(c, (r) => r.rssBytes, GiB, 3),
  fmt(c, (r) => r.anonHugeBytes, GiB, 3),
  fmt(c, (r) => r.hugeOfHot * 100, 1, 1),
]);
// Per-round figures (each round's three configurations ran back to back), then their median.
const perRound = results.tuner.map((t, i) => {
  const small = results['4k'][i]!;
  const always = results.always[i]!;
  return {
    thpGain: always.accessesPerSecond / small.accessesPerSecond,
    speedupKept: (t.accessesPerSecond / small.accessesPerSecond - 1) / (always.accessesPerSecond / small.accessesPerSecond - 1),
    bloatRemoved: 1 - (t.rssBytes - small.rssBytes) / (always.rssBytes - small.rssBytes),
  };
});
const speedupKept = median(perRound.map((p) => p.speedupKept));
const bloatRemoved = median(perRound.map((p) => p.bloatRemoved));
const loopOn = results.tuner.flatMap((r) => r.eventLoop.on);
const loopOff = results.tuner.flatMap((r) => r.eventLoop.off);
const converged = results.tuner.map((r) => r.hotHugeAtS);

const header =
  `CPU: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} CPUs; load average at the end ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}\n` +
  `tuner benchmark: hot ${values.hot} GiB ${values.access === 'read' ? 'read' : 'written'} at random (JS loop in 5 ms slices), cold ${values.cold} GiB touched once, sparse ${values.sparse} GiB (1 page in 8); ` +
  `${rounds} interleaved rounds, warm-up ${values.warmup} s, measured ${values.measure} s; tuner (${values.source} source): accessRate >= 5%, time quota ${values['time-quota']}/s, size quota 4G, no goal, sampling ${values.sample}/${values.aggregation}, max ${values['max-regions']} regions; median ±(max-min)/2`;
const table = formatTable(['config', `M ${values.access}s/s`, 'vs 4k', 'RSS GiB', 'AnonHugePages GiB', 'hot on 2M %'], rows);
const summary = [
  `THP=always's own gain over 4k per round: ${perRound.map((p) => `${p.thpGain.toFixed(3)}x`).join(', ')}`,
  `speedup kept (tuner gain / always gain): ${(speedupKept * 100).toFixed(1)}% (per round: ${perRound.map((p) => (p.speedupKept * 100).toFixed(1)).join(', ')})`,
  `bloat removed (1 - tuner bloat / always bloat): ${(bloatRemoved * 100).toFixed(1)}% (per round: ${perRound.map((p) => (p.bloatRemoved * 100).toFixed(1)).join(', ')})`,
  `tuner: hot set 95% on 2 MiB pages after ${converged.map((s) => (s === null ? 'not reached' : `${s.toFixed(1)} s`)).join(', ')}; collapse ${results.tuner.map((r) => `${r.collapsed} units in ${((r.actionMs ?? 0) / 1000).toFixed(1)} s`).join(', ')}; bytes added by collapse ${results.tuner.map((r) => r.addedBytes).join(', ')}`,
  `event-loop p99 delay under a light load (0.3 ms of work per 1 ms timer): tuner running ${median(loopOn).toFixed(2)} ms ±${spread(loopOn).toFixed(2)}, stopped ${median(loopOff).toFixed(2)} ms ±${spread(loopOff).toFixed(2)}: +${(median(loopOn) - median(loopOff)).toFixed(2)} ms`,
];
const text = [header, table, ...summary].join('\n');
console.log(text);
const outDir = path.resolve(__dirname, '../results');
mkdirSync(outDir, { recursive: true });
const stamp = new Date().toISOString().slice(0, 10);
writeFileSync(path.join(outDir, `${values.name}-${stamp}.txt`), text + '\n');
writeFileSync(path.join(outDir, `${values.name}-${stamp}.json`), JSON.stringify({ options: values, results, perRound, speedupKept, bloatRemoved }, null, 2) + '\n');
