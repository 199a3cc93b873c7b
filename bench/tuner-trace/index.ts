// What the tuner does, second by second, on the suite's phase-change workload (a 1 GiB mapping
// whose hot quarter, written at random, moves to the next quarter): the workload's throughput
// each second, every quota window and application (candidates, regions tried, units
// collapsed, action time) and, at each move, how much of the new hot set is on 2 MiB pages.
// A diagnostic, not a benchmark with targets: it shows where the time between a move and a
// huge hot set goes, and whether the tuner's work slows the program (a throughput dip right
// after an application). The tuner runs with the settings the README recommends.
//
//   npx vite-node bench/tuner-trace/index.ts [--warmup 20] [--moves 4] [--phase 8]   (seconds)
//   bench/tuner-trace/compare.sh <earlier revision> [rounds]   (the same, old and new code interleaved)
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ApplyReport, MonitorSnapshot, QuotaReport } from '../../lib/index.js';
import { hugeUnits } from '../suite/probes.js';
import { loadRecommendedSettings } from '../suite/recommended-settings.js';
import { runSliced } from '../suite/sliced-run.js';
import { TunerSession } from '../suite/tuner-session.js';
import workload from '../suite/workloads/phase-change.js';

const { values } = parseArgs({ options: { warmup: { type: 'string', default: '20' }, moves: { type: 'string', default: '4' }, phase: { type: 'string', default: '8' } } });
const warmupS = Number(values.warmup);
const moves = Number(values.moves);
const phaseS = Number(values.phase);

console.log(
  `CPU: ${cpus()[0]?.model ?? 'unknown'} (${cpus().length} CPUs), load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const recommended = loadRecommendedSettings(path.resolve(__dirname, '../..'));
console.log(`tuner: the recommended settings (${recommended.source}); phase-change at full scale; warm-up ${warmupS} s, ${moves} moves of ${phaseS} s`);
await workload.setup('full');
const session = new TunerSession(recommended.options);
const t0 = performance.now();
let phase = 0;
const log = (what: string, detail: string) => console.log(`${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s  phase ${phase}  ${what.padEnd(8)} ${detail}`);

session.tuner.on('quota', (q: QuotaReport) => log('quota', `score ${q.score ?? '-'} bp, esz ${(q.esz / 2 ** 20).toFixed(0)} MiB`));
session.tuner.on('apply', (r: ApplyReport) => {
  const [hot] = workload.hotRanges!();
  const inHot = r.tried.filter((t) => t.start < hot!.address + BigInt(hot!.length) && t.end > hot!.address).length;
  log('apply', `${r.skipped ?? ''}candidates ${r.candidates}, tried ${r.tried.length} (${inHot} in the hot set), collapsed ${r.collapsedUnits.length}, action ${r.windowActionMs.toFixed(0)} ms`);
});

// A new monitor (history lost) counts its aggregations from 1 again: the tuner starts one
// when the eligible memory changes only with the kernel DAMON source; the others take the
// new spans in place.
let lastAggregation = 0;
session.tuner.on('aggregate', (s: MonitorSnapshot) => {
  if (s.aggregation < lastAggregation) log('restart', `a new monitor after ${lastAggregation} aggregations of the previous one`);
  lastAggregation = s.aggregation;
});

async function runSeconds(seconds: number): Promise<void> {
  for (let s = 0; s < seconds; s++) {
    const r = await runSliced((ms) => workload.run(ms), { durationMs: 1000, sliceMs: 5 });
    log('writes', `${(r.ops / (r.elapsedMs / 1000) / 1e6).toFixed(2)} M/s`);
  }
}

const hotHuge = async () => {
  const { units, huge } = await hugeUnits(workload.hotRanges!());
  return `${huge}/${units} hot units huge`;
};
await runSeconds(warmupS);
log('ready', await hotHuge());
for (let move = 1; move <= moves; move++) {
  workload.moveHotSet!();
  phase = move;
  log('move', await hotHuge());
  await runSeconds(phaseS);
  log('end', `${await hotHuge()}; units so far ${JSON.stringify(session.figures().outcomes)}`);
}
await session.stop();
