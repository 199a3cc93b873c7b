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
//     [--source referenced|pagemap|referenced,pagemap]   (the tuner's access source; several: one tuner configuration each, interleaved;
//                                                         referenced@2% sets the referenced source's programBudget)
//     [--name tuner]   (results go to bench/results/<name>-<date>.txt and .json)
import { cpus, loadavg } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runChildJson } from '../common/run-child.js';
import { referencedVariant } from '../common/referenced-variant.js';
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
const SOURCES = values.source.split(',');
for (const source of SOURCES)
  if (referencedVariant(source) === null && source !== 'pagemap') throw new Error(`--source: 'referenced', 'referenced@<programBudget>%' or 'pagemap' (comma-separated), not '${source}'`);
const TUNERS = SOURCES.map((source) => `tuner-${source}`);
const CONFIGS = ['4k', 'always', ...TUNERS];
type Config = string;
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

function runChild(config: Config): Result {
  const tuner = config.startsWith('tuner-');
  const args = [
    tuner ? 'tuner' : config,
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
    tuner ? config.slice('tuner-'.length) : SOURCES[0]!,
  ];
  return runChildJson<Result>(path.join(__dirname, 'child.ts'), args, config);
}

const rounds = Number(values.rounds);
const results: Record<Config, Result[]> = Object.fromEntries(CONFIGS.map((c) => [c, []]));
for (let round = 0; round < rounds; round++) {
  // Rotate the order so that drift within a round does not favour one configuration.
  const order = CONFIGS.map((_, i) => CONFIGS[(i + round) % CONFIGS.length]!);
  for (const config of order) {
    const r = runChild(config);
    results[config]!.push(r);
    console.error(
      `round ${round + 1}/${rounds} ${config}: ${(r.accessesPerSecond / 1e6).toFixed(2)} M ${values.access}s/s, RSS ${(r.rssBytes / 2 ** 30).toFixed(2)} GiB, AnonHugePages ${(r.anonHugeBytes / 2 ** 30).toFixed(2)} GiB`,
    );
  }
}

const GiB = 2 ** 30;
const runs = (c: Config) => results[c] as Result[];
const med = (c: Config, f: (r: Result) => number) => median(runs(c).map(f));
const fmt = (c: Config, f: (r: Result) => number, scale: number, digits: number) => `${(med(c, f) / scale).toFixed(digits)} ±${(spread(runs(c).map(f)) / scale).toFixed(digits)}`;
const rows = CONFIGS.map((c) => [
  c,
  fmt(c, (r) => r.accessesPerSecond, 1e6, 2),
  `${(med(c, (r) => r.accessesPerSecond) / med('4k', (r) => r.accessesPerSecond)).toFixed(3)}x`,
  fmt(c, (r) => r.rssBytes, GiB, 3),
  fmt(c, (r) => r.anonHugeBytes, GiB, 3),
  fmt(c, (r) => r.hugeOfHot * 100, 1, 1),
]);
// Per-round figures (each round's configurations ran back to back), then their median.
function perRoundOf(tuner: Config) {
  return runs(tuner).map((t, i) => {
    const small = runs('4k')[i]!;
    const always = runs('always')[i]!;
    return {
      thpGain: always.accessesPerSecond / small.accessesPerSecond,
      speedupKept: (t.accessesPerSecond / small.accessesPerSecond - 1) / (always.accessesPerSecond / small.accessesPerSecond - 1),
      bloatRemoved: 1 - (t.rssBytes - small.rssBytes) / (always.rssBytes - small.rssBytes),
    };
  });
}
const perRound = Object.fromEntries(TUNERS.map((t) => [t, perRoundOf(t)]));
const speedupKept = Object.fromEntries(TUNERS.map((t) => [t, median(perRoundOf(t).map((p) => p.speedupKept))]));
const bloatRemoved = Object.fromEntries(TUNERS.map((t) => [t, median(perRoundOf(t).map((p) => p.bloatRemoved))]));

const header =
  `CPU: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} CPUs; load average at the end ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}\n` +
  `tuner benchmark: hot ${values.hot} GiB ${values.access === 'read' ? 'read' : 'written'} at random (JS loop in 5 ms slices), cold ${values.cold} GiB touched once, sparse ${values.sparse} GiB (1 page in 8); ` +
  `${rounds} interleaved rounds, warm-up ${values.warmup} s, measured ${values.measure} s; tuner-<source>: accessRate >= 5%, time quota ${values['time-quota']}/s, size quota 4G, no goal, sampling ${values.sample}/${values.aggregation}, max ${values['max-regions']} regions; median ±(max-min)/2`;
const table = formatTable(['config', `M ${values.access}s/s`, 'vs 4k', 'RSS GiB', 'AnonHugePages GiB', 'hot on 2M %'], rows);
const thpGains = perRoundOf(TUNERS[0]!).map((p) => `${p.thpGain.toFixed(3)}x`);
const summary = [
  `THP=always's own gain over 4k per round: ${thpGains.join(', ')}`,
  ...TUNERS.flatMap((t) => {
    const rounds = perRoundOf(t);
    const loopOn = runs(t).flatMap((r) => r.eventLoop.on);
    const loopOff = runs(t).flatMap((r) => r.eventLoop.off);
    return [
      `${t}: speedup kept (tuner gain / always gain): ${(speedupKept[t]! * 100).toFixed(1)}% (per round: ${rounds.map((p) => (p.speedupKept * 100).toFixed(1)).join(', ')})`,
      `${t}: bloat removed (1 - tuner bloat / always bloat): ${(bloatRemoved[t]! * 100).toFixed(1)}% (per round: ${rounds.map((p) => (p.bloatRemoved * 100).toFixed(1)).join(', ')})`,
      `${t}: hot set 95% on 2 MiB pages after ${runs(t)
        .map((r) => (r.hotHugeAtS === null ? 'not reached' : `${r.hotHugeAtS.toFixed(1)} s`))
        .join(', ')}; collapse ${runs(t)
        .map((r) => `${r.collapsed} units in ${((r.actionMs ?? 0) / 1000).toFixed(1)} s`)
        .join(', ')}; bytes added by collapse ${runs(t)
        .map((r) => r.addedBytes)
        .join(', ')}`,
      `${t}: event-loop p99 delay under a light load (0.3 ms of work per 1 ms timer): tuner running ${median(loopOn).toFixed(2)} ms ±${spread(loopOn).toFixed(2)}, stopped ${median(loopOff).toFixed(2)} ms ±${spread(loopOff).toFixed(2)}: +${(median(loopOn) - median(loopOff)).toFixed(2)} ms`,
    ];
  }),
];
const text = [header, table, ...summary].join('\n');
console.log(text);
const outDir = path.resolve(__dirname, '../results');
mkdirSync(outDir, { recursive: true });
const stamp = new Date().toISOString().slice(0, 10);
writeFileSync(path.join(outDir, `${values.name}-${stamp}.txt`), text + '\n');
writeFileSync(path.join(outDir, `${values.name}-${stamp}.json`), JSON.stringify({ options: values, results, perRound, speedupKept, bloatRemoved }, null, 2) + '\n');
