// How fast can the walk-heavy stream run here at all? The issue asks >= 30 M accesses/s for
// uniform random reads over 64 GiB of 4 KiB pages; sim-throughput measures the simulator's
// engine at about 11. This bench runs the same stream through that engine and through a fused
// engine (fused_engine.h: one fixed configuration -- preset zen4-vm, native, 4 KiB reads --
// with every structure fixed-size and the whole access in one function), alternating round by
// round, checks that both compute identical counters, and prints both rates by table size. The
// fused engine's rate is what the model costs on this machine without any generality.
//
// Needs g++ (it builds a stand-alone driver from the engine's C++ sources, with the addon's
// optimisation flags).
//
//   npx vite-node bench/sim-floor/index.ts [--sizes 1,4,16,64] [--rounds 3] [--count 3000000] [--tag NAME]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { saveResults } from '../common/save.js';
import { median, spread } from '../common/stats.js';
import { formatTable } from '../common/table.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1,4,16,64' },
    rounds: { type: 'string', default: '3' },
    count: { type: 'string', default: '3000000' },
    tag: { type: 'string', default: '' },
  },
});
const TARGET = 30;
const root = path.resolve(__dirname, '../..');
const platformDir = process.platform === 'linux' ? 'linux' : 'unsupported';
const sources = [
  ...readdirSync(path.join(root, 'native/core/tlbsim'))
    .filter((f) => f.endsWith('.cc'))
    .map((f) => path.join(root, 'native/core/tlbsim', f)),
  path.join(root, 'native/platform', platformDir, 'tlbsim/huge_slab.cc'),
  path.join(__dirname, 'fused_engine.cc'),
  path.join(__dirname, 'main.cc'),
];
const work = mkdtempSync(path.join(os.tmpdir(), 'sim-floor-'));
const binary = path.join(work, 'sim-floor');
try {
  // binding.gyp's flags for the addon: the engine is measured as the addon compiles it.
  execFileSync('g++', ['-std=c++17', '-O2', `-I${path.join(root, 'native')}`, `-I${__dirname}`, ...sources, '-o', binary], { stdio: 'inherit' });
  const output = execFileSync(binary, [values.count, values.rounds, ...values.sizes.split(',')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

  interface Round {
    gib: number;
    round: number;
    engine: number;
    fused: number;
    engineCounters: Record<string, number>;
    fusedCounters: Record<string, number>;
  }
  const rounds = output
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Round);
  const mismatch = rounds.find((r) => !isDeepStrictEqual(r.engineCounters, r.fusedCounters));
  if (mismatch) throw new Error(`${mismatch.gib} GiB, round ${mismatch.round}: the engines computed different counters`);

  const rows: string[][] = [];
  for (const gib of [...new Set(rounds.map((r) => r.gib))]) {
    const mine = rounds.filter((r) => r.gib === gib);
    const engine = mine.map((r) => r.engine);
    const fused = mine.map((r) => r.fused);
    const c = mine[0]!.engineCounters;
    rows.push([
      `${gib} GiB`,
      `${median(engine).toFixed(1)} ±${spread(engine).toFixed(1)}`,
      `${median(fused).toFixed(1)} ±${spread(fused).toFixed(1)}`,
      `${(median(fused) / median(engine)).toFixed(2)}x`,
      `${(c['walks']! / c['accesses']!).toFixed(3)}`,
      `${(c['refs']! / c['walks']!).toFixed(2)}`,
      `${TARGET}`,
      median(fused) >= TARGET ? 'yes' : 'NO',
    ]);
  }
  const header =
    `Walk-heavy stream (uniform random 8-byte reads, 4 KiB pages, preset zen4-vm, native), one thread, ` +
    `M accesses/s, median of ${values.rounds} rounds of ${values.count} ±(max-min)/2; the two engines alternate ` +
    `round by round and computed identical counters in every round`;
  const table = formatTable(['table size', 'engine', 'fused engine', 'fused/engine', 'walks/access', 'refs/walk', 'target', 'fused meets'], rows);
  console.log(header + '\n' + table);
  saveResults('sim-floor', header + '\n' + table, { count: Number(values.count), rounds }, values.tag);
} finally {
  rmSync(work, { recursive: true, force: true });
}
