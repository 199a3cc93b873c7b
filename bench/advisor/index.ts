// The advisor's prediction against the measured speedup on the tuner benchmark's workload
// (bench/tuner/workload.ts: a hot set written, or only read, at random by a JS loop; a cold set
// touched once; sparse memory). Per layout (write, read) and hot-set size: a recording of the
// loop on 4 KiB pages (record-child.ts), the advisor's prediction from it with this machine's
// calibration, and the measured speedup of the same loop on 2 MiB pages (pair-child.ts: both
// page sizes in one process, alternating slices on the CPU clock), in interleaved rounds.
//
//   npx vite-node bench/advisor/index.ts [--hot 0.25,0.5,1,2] [--access write,read] [--rounds 3]
//     [--cold 1] [--sparse 1] [--record 20] [--measure 6] [--slice 20]
//     [--sample 20ms] [--aggregation 400ms] [--max-regions 20] [--calibration-budget 500] [--no-calibrate]
//     [--walks auto|nested|native] [--source referenced|pagemap] [--keep DIR] [--name advisor]
//
// --record: seconds recorded per row; --measure: seconds of slices per access kind and round;
// --slice: ms per slice; --calibration-budget: ms of the advisor's probe (its default is 500);
// --walks: the simulated walks (auto: nested under a hypervisor, as advise does);
// --source: the recording's source (default referenced, as `thp-autotune record`: reads and
// writes, with its rate probe; pagemap: writes only, per sample);
// --keep: write the recordings to DIR and keep them (`thp-autotune advise DIR/write-1.jsonl.gz`).
// The recording settings are the advisor's accuracy settings: 20 ms sampling resolves up to
// ~345 writes per second per page (a 0.25 GiB hot set written at 20 M/s gets ~300); 20 regions
// (the hot set is one mapping of its own, so few are needed) keep the sampler's protections to
// 1000 per second: each is a fault and a TLB flush the recorded program pays for, and at 50
// regions its CPU per access doubled while recorded here (docs/record-report-advise.md).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { advise, calibrate, formatCalibration, type Calibration, type HugePageAdvice } from '../../lib/advisor/index.js';
import { runsUnderHypervisor } from '../../lib/advisor/calibration.js';
import { readRecording } from '../../lib/record/index.js';
import { saveResults } from '../common/save.js';
import { median, spread } from '../common/stats.js';
import { formatTable } from '../common/table.js';

const { values } = parseArgs({
  options: {
    hot: { type: 'string', default: '0.25,0.5,1,2' },
    access: { type: 'string', default: 'write,read' },
    rounds: { type: 'string', default: '3' },
    cold: { type: 'string', default: '1' },
    sparse: { type: 'string', default: '1' },
    record: { type: 'string', default: '20' },
    measure: { type: 'string', default: '6' },
    slice: { type: 'string', default: '20' },
    sample: { type: 'string', default: '20ms' },
    aggregation: { type: 'string', default: '400ms' },
    'max-regions': { type: 'string', default: '20' },
    'calibration-budget': { type: 'string', default: '500' },
    'no-calibrate': { type: 'boolean', default: false },
    walks: { type: 'string', default: 'auto' },
    source: { type: 'string', default: 'referenced' },
    keep: { type: 'string' },
    name: { type: 'string', default: 'advisor' },
  },
});

const root = path.resolve(__dirname, '../..');
const viteNode = path.join(root, 'node_modules/vite-node/vite-node.mjs');
const hots = values.hot.split(',').map(Number);
const accesses = values.access.split(',') as ('write' | 'read')[];
const rounds = Number(values.rounds);
if (values.source !== 'referenced' && values.source !== 'pagemap') throw new Error(`--source ${values.source}: referenced or pagemap`);

function child(script: string, args: string[]): string {
  const r = spawnSync(process.execPath, [viteNode, path.join(__dirname, script), '--', ...args], { cwd: root, encoding: 'utf8', timeout: 1_800_000 });
  if (r.status !== 0) throw new Error(`${script} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr}`);
  return r.stdout.trim().split('\n').at(-1)!;
}

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const loadStart = load();
const thp = (name: string) => readFileSync(`/sys/kernel/mm/transparent_hugepage/${name}`, 'utf8').trim();
const machine = `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} CPUs, Linux ${release()}, THP enabled "${thp('enabled')}" defrag "${thp('defrag')}"`;
process.stderr.write(`${machine}; load average ${loadStart}\n`);

// The calibration first, in this process, before the children load the machine further.
const simulated = { preset: 'zen4-vm', nested: values.walks === 'auto' ? runsUnderHypervisor() : values.walks === 'nested' };
const calibration: Calibration | 'preset' = values['no-calibrate'] ? 'preset' : await calibrate(simulated, { budgetMs: Number(values['calibration-budget']) });
if (calibration !== 'preset') process.stderr.write(`${formatCalibration(calibration).join('\n')}\n`);

interface Recorded {
  advice: HugePageAdvice | null;
  /** Why there is no prediction (the advisor's message). */
  error: string | null;
  /** The loop's own accesses per CPU second while it was recorded. */
  actualPerCpuSecond: number;
}

if (values.keep) mkdirSync(values.keep, { recursive: true });
const scratch = values.keep ?? mkdtempSync(path.join(tmpdir(), 'thp-advisor-bench-'));
const recorded = new Map<string, Recorded>();
try {
  for (const access of accesses) {
    for (const hot of hots) {
      const file = path.join(scratch, `${access}-${hot}.jsonl.gz`);
      const out = JSON.parse(
        child('record-child.ts', [file, String(hot), values.cold, values.sparse, values.record, access, values.sample, values.aggregation, values['max-regions'], values.source]),
      ) as {
        accesses: number;
        cpuS: number;
      };
      let advice: HugePageAdvice | null = null;
      let error: string | null = null;
      try {
        advice = await advise(await readRecording(file), { ...simulated, calibration });
      } catch (e) {
        error = (e as Error).message;
      }
      recorded.set(`${access} ${hot}`, { advice, error, actualPerCpuSecond: out.accesses / out.cpuS });
      process.stderr.write(`recorded ${access} ${hot} GiB: ${advice ? `predicted ${advice.layouts.tuner.speedup.toFixed(3)}x` : error}\n`);
    }
  }
} finally {
  if (!values.keep) rmSync(scratch, { recursive: true, force: true });
}

// Measured: per round and hot-set size one process holding both page sizes; per access kind
// the median of the slices' paired ratios (4 KiB ns / 2 MiB ns) is that round's speedup.
const measured = new Map<string, { speedups: number[]; ns4k: number[]; ns2m: number[]; hugeShare: number[] }>();
for (let r = 0; r < rounds; r++) {
  for (const hot of r % 2 === 0 ? hots : [...hots].reverse()) {
    const out = JSON.parse(child('pair-child.ts', [String(hot), values.measure, values.slice, accesses.join(',')])) as {
      hugeShare: number;
      results: Record<string, { ns4k: number[]; ns2m: number[] }>;
    };
    for (const access of accesses) {
      const slices = out.results[access]!;
      const m = measured.get(`${access} ${hot}`) ?? { speedups: [], ns4k: [], ns2m: [], hugeShare: [] };
      m.speedups.push(median(slices.ns4k.map((a, i) => a / slices.ns2m[i]!)));
      m.ns4k.push(median(slices.ns4k));
      m.ns2m.push(median(slices.ns2m));
      m.hugeShare.push(out.hugeShare);
      measured.set(`${access} ${hot}`, m);
    }
    process.stderr.write(`round ${r + 1} hot ${hot} GiB: ${accesses.map((a) => `${a} ${measured.get(`${a} ${hot}`)!.speedups.at(-1)!.toFixed(3)}x`).join(', ')}\n`);
  }
}
const loadEnd = load();

const rows = accesses.flatMap((access) =>
  hots.map((hot) => {
    const rec = recorded.get(`${access} ${hot}`)!;
    const m = measured.get(`${access} ${hot}`)!;
    const measuredSpeedup = median(m.speedups);
    const predicted = rec.advice?.layouts.tuner.speedup ?? null;
    const measuredGain = measuredSpeedup - 1;
    const predictedGain = predicted === null ? null : predicted - 1;
    return {
      access,
      hotGiB: hot,
      ns4k: median(m.ns4k),
      ns2m: median(m.ns2m),
      hugeShare: Math.min(...m.hugeShare),
      measuredSpeedup,
      measuredSpread: spread(m.speedups),
      perRound: m.speedups,
      predicted,
      readsUnseen: access === 'read' && rec.advice?.signal === 'write',
      error: rec.error,
      gainError: predictedGain === null ? null : predictedGain / measuredGain - 1,
      gainPoints: predictedGain === null ? null : (predictedGain - measuredGain) * 100,
      withinTarget: predictedGain === null ? null : Math.abs(predictedGain - measuredGain) <= 0.25 * Math.abs(measuredGain),
      measuredWorthIt: measuredGain >= 0.1,
      predictedWorthIt: rec.advice?.worthIt ?? null,
      hotFoundBytes: rec.advice?.hotBytes ?? null,
      accessRate: rec.advice
        ? { estimatedPerCpuSecond: rec.advice.accessRate.perSecond / (rec.advice.accessRate.cpuShare ?? 1), actualPerCpuSecond: rec.actualPerCpuSecond, cpuShare: rec.advice.accessRate.cpuShare }
        : null,
      model: rec.advice?.model ?? null,
      translation: rec.advice ? { base4k: rec.advice.layouts.base4k.translationCyclesPerAccess, tuner: rec.advice.layouts.tuner.translationCyclesPerAccess } : null,
    };
  }),
);

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)}%`;
const yes = (b: boolean | null) => (b === null ? 'n/a' : b ? 'yes' : 'no');
const text = [
  `Advisor: predicted vs measured speedup of 2 MiB pages for the hot set (tuner benchmark loop; cold ${values.cold} GiB, sparse ${values.sparse} GiB)`,
  `machine: ${machine}`,
  `load average: ${loadStart} at start, ${loadEnd} at end`,
  `simulated: ${simulated.preset}, ${simulated.nested ? 'nested' : 'native'} walks (--walks ${values.walks})`,
  `calibration: ${calibration === 'preset' ? 'skipped (--no-calibrate): preset cycles per ns' : formatCalibration(calibration).join('\n  ')}`,
  `recorded ${values.record} s per row with the ${values.source} source at ${values.sample} / ${values.aggregation} / ${values['max-regions']} regions; measured ${rounds} rounds (one process per round and size, sizes in alternating order), ${values.measure} s of ${values.slice} ms slices per access kind, CPU time`,
  formatTable(
    [
      'layout',
      'hot set',
      'ns 4K / 2M',
      'measured',
      'per round',
      'predicted',
      'gain error',
      'within 25%',
      'worth it (>= 10%) measured / predicted',
      'hot found',
      'M acc/CPU-s est / recorded / alone',
      'base ns',
    ],
    rows.map((t) => [
      t.access,
      `${t.hotGiB} GiB`,
      `${t.ns4k.toFixed(1)} / ${t.ns2m.toFixed(1)}`,
      `${t.measuredSpeedup.toFixed(3)}x ±${t.measuredSpread.toFixed(3)}`,
      t.perRound.map((s) => s.toFixed(3)).join(' '),
      t.predicted === null ? `n/a: ${t.error}` : `${t.predicted.toFixed(3)}x${t.readsUnseen ? ' (reads unseen)' : ''}`,
      t.gainError === null ? 'n/a' : `${pct(t.gainError)} (${t.gainPoints! >= 0 ? '+' : ''}${t.gainPoints!.toFixed(1)} pt)`,
      yes(t.withinTarget),
      `${yes(t.measuredWorthIt)} / ${yes(t.predictedWorthIt)}${t.predictedWorthIt !== null && t.measuredWorthIt !== t.predictedWorthIt ? '  WRONG' : ''}`,
      t.hotFoundBytes === null ? 'n/a' : `${(t.hotFoundBytes / 2 ** 30).toFixed(2)} GiB`,
      t.accessRate ? `${(t.accessRate.estimatedPerCpuSecond / 1e6).toFixed(1)} / ${(t.accessRate.actualPerCpuSecond / 1e6).toFixed(1)} / ${(1e3 / t.ns4k).toFixed(1)}` : 'n/a',
      t.model ? t.model.baseNs.toFixed(1) : 'n/a',
    ]),
  ),
  "measured: median over rounds of each round's median paired slice ratio (4 KiB ns / 2 MiB ns), ± half-range over rounds.",
  'gain error = predicted gain / measured gain - 1 (gain = speedup - 1), and the difference in percentage points; within 25%: |difference| <= 25% of the measured gain.',
  ...(values.source === 'pagemap' ? ["reads unseen: the recording's pagemap source sees writes only, so a loop that only reads looks idle to the advisor (it says so in its caveats)."] : []),
  "M acc/CPU-s: accesses per CPU second of the process the advisor read from the recording (the referenced source's windows and rate probe, or the pagemap source's writes), what the loop counted while recorded (its CPU includes the sampler's cost to it), and the loop alone on 4 KiB pages (pair child).",
].join('\n');
process.stdout.write(`${text}\n`);
saveResults(values.name, text, { values, machine, load: { start: loadStart, end: loadEnd }, calibration, rows });
