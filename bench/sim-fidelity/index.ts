// Fidelity of the TLB simulator against this machine: the same random 8-byte-read pattern on
// real memory (4 KiB pages versus the same buffer collapsed to 2 MiB, with lib/memory's
// madvise/collapse and lib/workloads' timing loop) and in the simulator (preset for this CPU,
// nested mode since the machine is a VM, host page 4 KiB and 2 MiB shown side by side).
//
// Calibration (two constants, both printed): the non-translation cost of an access, `base` ns,
// from the smallest size's 2 MiB run, and a memory-level-parallelism divisor `mlp` (how many
// walks the CPU overlaps) from the 4 KiB-versus-2 MiB gap at the --calibrate size. The clock
// comes from /proc/cpuinfo; walk references, where they hit and cycle costs are the preset's.
// Rows other than the calibration sizes are predictions.
//
// Buffers up to 4 GiB are measured as two buffers (4 KiB and collapsed) in interleaved rounds,
// since this VM drifts between runs; larger ones as one buffer, first on 4 KiB pages, then
// collapsed (two would not fit in memory).
//
//   NODE_OPTIONS=--expose-gc npx vite-node bench/sim-fidelity/index.ts [--sizes 1,4,16] [--rounds 3]
//     [--accesses 10000000] [--sim-accesses 1000000] [--preset auto|NAME] [--calibrate 4]
// (--expose-gc lets each buffer be unmapped before the next size is allocated.)
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { TlbSimulator, type PageSize, type SimStats } from '../../lib/simulator/index.js';
import { collapseSegments, populateSmallPages, timeRandomReads } from '../../lib/workloads/index.js';
import { median } from '../common/stats.js';
import { formatTable } from '../common/table.js';

const GiB = 2 ** 30;
const BASE = 1n << 40n;
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1,4,16' },
    rounds: { type: 'string', default: '3' },
    accesses: { type: 'string', default: '10000000' },
    'sim-accesses': { type: 'string', default: '1000000' },
    preset: { type: 'string', default: 'auto' },
    calibrate: { type: 'string', default: '4' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const rounds = Number(values.rounds);
const accesses = Number(values.accesses);
const simAccesses = Number(values['sim-accesses']);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error("run with NODE_OPTIONS=--expose-gc so each size's buffer is unmapped before the next is allocated");
  process.exit(2);
}

const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
const vendor = /vendor_id\s*:\s*(\S+)/.exec(cpuinfo)?.[1] ?? 'unknown';
const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? 'unknown';
const ghz = Number(/cpu MHz\s*:\s*([\d.]+)/.exec(cpuinfo)?.[1] ?? '3000') / 1000;
// The zen4-vm preset is the AMD (Zen 4) build machine (docs/measured-facts.md); on the Intel Xeon VMs of the same
// kind CPUID leaf 0x18 is empty, so the closest preset (Golden Cove / Sapphire Rapids) is used.
const preset = values.preset !== 'auto' ? values.preset : vendor === 'AuthenticAMD' ? 'zen4-vm' : 'sapphire-rapids';

const time = (segments: ArrayBuffer[], round: number): number => timeRandomReads(segments, { accesses, seed: 1 + round }).nsPerAccess;
// One untimed pass first: the first pass over fresh memory in this VM also pays the host's own
// faults and page-table fills (a 2-3x slower first round was seen at 16 GiB).
const warm = (segments: ArrayBuffer[]): void => void timeRandomReads(segments, { accesses, seed: 99 });

async function measure(bytes: number): Promise<{ small: number[]; huge: number[]; collapsedBytes: number }> {
  const small: number[] = [];
  const huge: number[] = [];
  if (bytes <= 4 * GiB) {
    const a = await populateSmallPages(bytes);
    const b = await populateSmallPages(bytes);
    const collapsedBytes = (await collapseSegments(b)).collapsedBytes;
    warm(a);
    warm(b);
    for (let r = 0; r < rounds; r++) {
      if (r % 2 === 0) {
        small.push(time(a, r));
        huge.push(time(b, r));
      } else {
        huge.push(time(b, r));
        small.push(time(a, r));
      }
    }
    return { small, huge, collapsedBytes };
  }
  const segments = await populateSmallPages(bytes);
  warm(segments);
  for (let r = 0; r < rounds; r++) small.push(time(segments, r));
  const collapsedBytes = (await collapseSegments(segments)).collapsedBytes;
  warm(segments);
  for (let r = 0; r < rounds; r++) huge.push(time(segments, r));
  return { small, huge, collapsedBytes };
}

function simulate(bytes: number, layout: PageSize, host: PageSize): SimStats {
  const sim = new TlbSimulator({ preset, nested: { enabled: true, hostPageSize: host } });
  sim.map(BASE, bytes, layout);
  const w = { kind: 'uniform' as const, base: BASE, bytes, granule: 8 };
  sim.runSync({ ...w, count: Math.min(simAccesses, 300_000), seed: 11 });
  sim.clearCounters();
  return sim.runSync({ ...w, count: simAccesses, seed: 12 });
}

interface Row {
  sizeGiB: number;
  measured: { smallNs: number; hugeNs: number; speedup: number; smallRuns: number[]; hugeRuns: number[]; collapsedBytes: number };
  sim: Record<PageSize, { t4kNs: number; t2mNs: number; refsPerWalk4k: number; dramShare4k: number }>;
}
const rowsData: Row[] = [];
for (const size of sizes) {
  const bytes = size * GiB;
  const m = await measure(bytes);
  gc();
  gc();
  const sim = {} as Row['sim'];
  for (const host of ['4k', '2m'] as PageSize[]) {
    const small = simulate(bytes, '4k', host);
    const huge = simulate(bytes, '2m', host);
    sim[host] = {
      t4kNs: small.cycles.translationPerAccess / ghz,
      t2mNs: huge.cycles.translationPerAccess / ghz,
      refsPerWalk4k: small.walks.refsPerWalk,
      dramShare4k: small.walks.dramRefs / Math.max(1, small.walks.refs),
    };
  }
  const smallNs = median(m.small);
  const hugeNs = median(m.huge);
  rowsData.push({ sizeGiB: size, measured: { smallNs, hugeNs, speedup: smallNs / hugeNs, smallRuns: m.small, hugeRuns: m.huge, collapsedBytes: m.collapsedBytes }, sim });
  console.log(`${size} GiB: measured ${smallNs.toFixed(1)} / ${hugeNs.toFixed(1)} ns`);
}

// Calibrate, per host page size: mlp from the calibration size's measured 4K-2M gap, then base
// from the smallest size's 2 MiB run.
const firstRow = rowsData[0];
if (!firstRow) throw new Error('no sizes');
const first: Row = firstRow;
const calib = rowsData.find((r) => r.sizeGiB === Number(values.calibrate)) ?? rowsData[rowsData.length - 1]!;
function calibration(host: PageSize): { mlp: number; base: number } {
  const gapModel = calib.sim[host].t4kNs - calib.sim[host].t2mNs;
  const gapMeasured = calib.measured.smallNs - calib.measured.hugeNs;
  // A measured gap at or below zero (noise) leaves nothing to calibrate against: no overlap assumed.
  const mlp = gapMeasured > 0 && gapModel > 0 ? Math.max(1, gapModel / gapMeasured) : 1;
  return { mlp, base: Math.max(1, first.measured.hugeNs - first.sim[host].t2mNs / mlp) };
}
const rows: string[][] = [];
for (const r of rowsData) {
  const fitted = r === calib || r === first ? ' (calibration)' : '';
  const cells = [`${r.sizeGiB} GiB${fitted}`, `${r.measured.smallNs.toFixed(1)} / ${r.measured.hugeNs.toFixed(1)}`, `${r.measured.speedup.toFixed(2)}x`];
  for (const host of ['4k', '2m'] as PageSize[]) {
    const s = r.sim[host];
    const { mlp, base } = calibration(host);
    const small = base + s.t4kNs / mlp;
    const huge = base + s.t2mNs / mlp;
    const predicted = small / huge;
    const error = (predicted / r.measured.speedup - 1) * 100;
    cells.push(`${small.toFixed(1)} / ${huge.toFixed(1)}`, `${predicted.toFixed(2)}x (${error >= 0 ? '+' : ''}${error.toFixed(0)}%)`);
  }
  cells.push(`${r.sim['4k'].refsPerWalk4k.toFixed(1)} refs, ${(100 * r.sim['4k'].dramShare4k).toFixed(0)}% DRAM, serial ${r.sim['4k'].t4kNs.toFixed(0)} ns`);
  rows.push(cells);
}
const c4 = calibration('4k');
const c2 = calibration('2m');
// Rows the model misses by more than the 25% aimed at, with what the data says about why: when
// even the 2 MiB run is far slower than its predicted time, the extra cost is not in the
// guest's translation (which 2 MiB pages mostly remove) but grows with the footprint on the
// host side, which the model does not see from inside the VM.
const misses: string[] = [];
for (const r of rowsData) {
  const errors = (['4k', '2m'] as PageSize[]).map((host) => {
    const { mlp, base } = calibration(host);
    const huge = base + r.sim[host].t2mNs / mlp;
    return { host, huge, error: ((base + r.sim[host].t4kNs / mlp) / huge / r.measured.speedup - 1) * 100 };
  });
  if (errors.every((e) => Math.abs(e.error) <= 25)) continue;
  const best = errors.reduce((a, b) => (Math.abs(a.error) < Math.abs(b.error) ? a : b));
  const hugeRatio = r.measured.hugeNs / best.huge;
  misses.push(
    `${r.sizeGiB} GiB misses by ${best.error.toFixed(0)}% at best (host ${best.host}): ` +
      (hugeRatio > 1.25
        ? `the measured 2 MiB run (${r.measured.hugeNs.toFixed(1)} ns) is itself ${hugeRatio.toFixed(1)}x its predicted ${best.huge.toFixed(1)} ns, so time grows with the footprint outside the guest's translation (host-side walks and memory placement, invisible in the VM); that cost also lands on the 4 KiB run's nested walks, widening the measured gap.`
        : `the 2 MiB run matches its prediction, so the 4 KiB walks cost more than modeled (fewer walks overlap than the calibrated divisor says, or the page-table lines miss more often than the fixed cache share predicts).`),
  );
}

const notes = [
  `CPU: ${vendor} ${model} at ${ghz.toFixed(2)} GHz; simulator preset ${preset}, nested (VM).`,
  `Calibrated (host 4K / host 2M): overlap divisor mlp = ${c4.mlp.toFixed(2)} / ${c2.mlp.toFixed(2)} from the ${calib.sizeGiB} GiB gap; ` +
    `base = ${c4.base.toFixed(1)} / ${c2.base.toFixed(1)} ns from the ${first.sizeGiB} GiB 2 MiB run. Nothing else is fitted; other rows are predictions.`,
  'Why a translation-only model misses: it charges walk references serially, but these reads are independent, so the CPU',
  'overlaps several walks and data misses (memory-level parallelism; Golden Cove has 4 page walkers, Zen 3+ 6): one',
  "divisor stands in for that. The host's page size is unknown inside the VM (both columns shown). The page-table line",
  'cache is a fixed 2 MiB share, while real caches are also filled by data; and this VM drifts 20% or more between runs.',
];
const header = `Fidelity: random 8-byte reads, measured (median of ${rounds} rounds of ${accesses}) vs simulated (${simAccesses} accesses)`;
const table = formatTable(
  ['buffer', 'measured ns 4K / 2M', 'measured speedup', 'model ns host4K', 'predicted host4K (err)', 'model ns host2M', 'predicted host2M (err)', 'sim 4K walks (host 4K)'],
  rows,
);
const text = [header, table, '', ...notes, ...misses].join('\n');
console.log('\n' + text);
const outDir = path.resolve(__dirname, '../results');
mkdirSync(outDir, { recursive: true });
const stamp = new Date().toISOString().slice(0, 10);
writeFileSync(path.join(outDir, `sim-fidelity-${stamp}.txt`), text + '\n');
writeFileSync(path.join(outDir, `sim-fidelity-${stamp}.json`), JSON.stringify({ vendor, model, ghz, preset, rounds, accesses, simAccesses, rows: rowsData }, null, 2) + '\n');
