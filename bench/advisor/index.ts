// The advisor's prediction against the measured speedup on the tuner benchmark's workload
// (bench/tuner/child.ts: a hot set written at random by a JS loop, a cold set touched once,
// sparse memory). Per hot-set size: a recording of the 4 KiB run, the advisor's prediction
// from it, and the measured throughput on 4 KiB pages versus THP=always (which puts the hot
// set, the only memory accessed, on 2 MiB pages as the tuner's set would), rounds interleaved.
//
//   npx vite-node bench/advisor/index.ts [--hot 0.25,1,4] [--cold 1] [--sparse 1] [--rounds 3]
//     [--record 20] [--warmup 3] [--measure 5] [--calibrate 4] [--name advisor]
// --calibrate <hot GiB>: fit the time model's baseNs and cyclesPerNs on that row (printed) instead of
// using the advisor's defaults; the other rows are then predictions.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { advise, modelNs, MODEL_DEFAULTS, type HugePageAdvice } from '../../lib/advisor/index.js';
import { readRecording } from '../../lib/record/index.js';
import { saveResults } from '../common/save.js';
import { median, spread } from '../common/stats.js';
import { formatTable } from '../common/table.js';

const { values } = parseArgs({
  options: {
    hot: { type: 'string', default: '0.25,1,4' },
    cold: { type: 'string', default: '1' },
    sparse: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '3' },
    record: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    measure: { type: 'string', default: '5' },
    calibrate: { type: 'string' },
    name: { type: 'string', default: 'advisor' },
  },
});

const root = path.resolve(__dirname, '../..');
const viteNode = path.join(root, 'node_modules/vite-node/vite-node.mjs');

function run(script: string, args: string[]): string {
  const r = spawnSync(process.execPath, [viteNode, script, '--', ...args], { cwd: root, encoding: 'utf8', timeout: 900_000 });
  if (r.status !== 0) throw new Error(`${path.basename(script)} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr}`);
  return r.stdout;
}

/** Accesses per second of one fresh child (child.ts prints one JSON line). */
function measure(config: '4k' | 'always', hot: string): number {
  const out = run(path.join(root, 'bench/tuner/child.ts'), [config, hot, values.cold, values.sparse, values.warmup, values.measure, '500ms', '5ms', '100ms', '1000']);
  return (JSON.parse(out.trim().split('\n').at(-1)!) as { accessesPerSecond: number }).accessesPerSecond;
}

interface Row {
  hotGiB: number;
  advice: HugePageAdvice;
  measured: { '4k': number[]; always: number[] };
}

const scratch = mkdtempSync(path.join(tmpdir(), 'thp-advisor-bench-'));
const rows: Row[] = [];
try {
  for (const hot of values.hot.split(',')) {
    const file = path.join(scratch, `hot-${hot}.jsonl.gz`);
    run(path.join(__dirname, 'record-child.ts'), [file, '4k', hot, values.cold, values.sparse, values.record, '1', '500ms', '5ms', '100ms', '1000']);
    const advice = await advise(await readRecording(file));
    const measured = { '4k': [] as number[], always: [] as number[] };
    for (let r = 0; r < Number(values.rounds); r++) {
      for (const config of ['4k', 'always'] as const) measured[config].push(measure(config, hot));
    }
    rows.push({ hotGiB: Number(hot), advice, measured });
    process.stderr.write(`hot ${hot} GiB: measured ${median(measured['4k']) / 1e6} / ${median(measured.always) / 1e6} M writes/s\n`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

// The time model: the advisor's defaults, or fitted on one row (two measurements, two unknowns).
let model = { ...MODEL_DEFAULTS };
const calibrationRow = values.calibrate === undefined ? undefined : rows.find((r) => r.hotGiB === Number(values.calibrate));
if (calibrationRow) {
  const ns4k = 1e9 / median(calibrationRow.measured['4k']);
  const ns2m = 1e9 / median(calibrationRow.measured.always);
  const t4k = calibrationRow.advice.layouts.base4k.translationCyclesPerAccess;
  const t2m = calibrationRow.advice.layouts.tuner.translationCyclesPerAccess;
  const cyclesPerNs = (t4k - t2m) / (ns4k - ns2m);
  model = { baseNs: ns2m - t2m / cyclesPerNs, cyclesPerNs };
}
const predict = (r: Row) => modelNs(model, r.advice.layouts.base4k.translationCyclesPerAccess) / modelNs(model, r.advice.layouts.tuner.translationCyclesPerAccess);
const table = rows.map((r) => {
  const speedups = r.measured.always.map((a, i) => a / r.measured['4k'][i]!);
  const measuredSpeedup = median(speedups);
  const predicted = predict(r);
  const error = (predicted - 1) / (measuredSpeedup - 1) - 1;
  return {
    hotGiB: r.hotGiB,
    role: r === calibrationRow ? 'calibration' : 'prediction',
    measured4k: median(r.measured['4k']) / 1e6,
    measured2m: median(r.measured.always) / 1e6,
    measuredSpeedup,
    measuredSpread: spread(speedups),
    predicted,
    gainError: error,
    speedupError: predicted / measuredSpeedup - 1,
    measuredWorthIt: measuredSpeedup - 1 >= 0.1,
    predictedWorthIt: predicted - 1 >= 0.1,
    tunerAddedBytes: r.advice.layouts.tuner.addedBytes,
    alwaysAddedBytes: r.advice.layouts.always.addedBytes,
    hotBytes: r.advice.hotBytes,
    translation: { base4k: r.advice.layouts.base4k.translationCyclesPerAccess, tuner: r.advice.layouts.tuner.translationCyclesPerAccess },
  };
});
const text = [
  `Advisor: predicted vs measured speedup of 2 MiB pages for the hot set (tuner benchmark workload, random 32-bit writes; cold ${values.cold} GiB, sparse ${values.sparse} GiB)`,
  formatTable(
    ['hot set', 'row', 'M writes/s 4K / 2M', 'measured', 'predicted', 'error of gain', 'worth it (>= 10%) measured / predicted', 'hot found', 'memory added tuner / always'],
    table.map((t) => [
      `${t.hotGiB} GiB`,
      t.role,
      `${t.measured4k.toFixed(2)} / ${t.measured2m.toFixed(2)}`,
      `${t.measuredSpeedup.toFixed(3)}x ±${t.measuredSpread.toFixed(3)}`,
      `${t.predicted.toFixed(3)}x`,
      `${t.gainError >= 0 ? '+' : ''}${(t.gainError * 100).toFixed(0)}%`,
      `${t.measuredWorthIt ? 'yes' : 'no'} / ${t.predictedWorthIt ? 'yes' : 'no'}${t.measuredWorthIt === t.predictedWorthIt ? '' : '  WRONG'}`,
      `${(t.hotBytes / 2 ** 30).toFixed(2)} GiB`,
      `${(t.tunerAddedBytes / 2 ** 20).toFixed(0)} MiB / ${(t.alwaysAddedBytes / 2 ** 20).toFixed(0)} MiB`,
    ]),
  ),
  `time model: ${model.baseNs.toFixed(2)} ns + translation cycles / ${model.cyclesPerNs.toFixed(2)} per access` +
    (calibrationRow ? ` (fitted on the ${calibrationRow.hotGiB} GiB row)` : " (the advisor's defaults)"),
  `error of gain = predicted gain / measured gain - 1 (gain = speedup - 1); measured: median of ${values.rounds} interleaved rounds, ± half-range.`,
  'THP=always stands for the tuner\'s set here: only the hot set is accessed, and both put all of it on 2 MiB pages.',
].join('\n');
process.stdout.write(`${text}\n`);
saveResults(values.name, text, { values, model, rows: table });
