// What a monitor of this process costs a program that only READS: random 4-byte reads by the
// main thread over a buffer of `--sizes` GiB on 4 KiB pages (every region hot, every page a
// TLB miss: the worst case for both sources), with no monitor, the `referenced` source at its
// defaults, and the `pagemap` source (writes only: it helps nothing here, so any cost is
// pure loss). One process per size; in it, configurations alternate phase by phase (order
// rotated every round) so that drift and other load fall on all alike.
//
// `floor`: a monitor on the synthetic pattern source with nothing hot, over the same ranges at
// the same intervals. Its thread only wakes on the sampler's schedule and touches no memory of
// the program, yet in VMs that shadow the guest's page tables it is charged several percent of
// a core while the reader walks gigabytes on 4 KiB pages (host time spent on the process's
// page tables lands on whichever of its threads runs). A monitor's figure above that floor,
// same round, is what its source itself costs (docs/measured-facts.md).
//
// Figures per configuration, median ±(max-min)/2 over rounds, and per-round ratios to "off":
// - the reader's CPU time per read (getrusage minus the other threads' schedstat,
//   bench/common/thread-usage.ts): what the program pays, robust to preemption by other
//   processes; wall time per read as well (the figure a user sees, not robust to load);
// - the monitor thread's CPU as a share of one core (DAMON core + source);
// - referenced only: windows completed in the phase, the last one's CPU cost and the wait
//   it set (cost / budget), cell size and cells marked.
// - referenced only, a figure robust to drift between phases: what the reader lost around
//   window openings against its own settled rate in the same phase (lossAroundOpenings), beside
//   what the source counted for those windows (its budget: programBudget, 2% by default). Phases of 30 s
//   or more let several windows open at 16 GiB.
//
//   npx vite-node bench/read-overhead/index.ts [--sizes 1,4,16] [--rounds 5] [--phase 10] [--configs off,floor,referenced,pagemap] [--tag t]
//     (referenced@2%: the referenced source with that programBudget)
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { AccessMonitor, PagemapSource, PatternSource, ReferencedSource } from '../../lib/index.js';
import { allocAlignedSegments, madvise } from '../../lib/memory/index.js';
import { referencedVariant } from '../common/referenced-variant.js';
import { median, spread } from '../common/stats.js';
import { formatTable } from '../common/table.js';
import { saveResults } from '../common/save.js';
import { mainThreadCpuNs } from '../common/thread-usage.js';

const GiB = 2 ** 30;
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1,4,16' },
    rounds: { type: 'string', default: '5' },
    phase: { type: 'string', default: '10' },
    configs: { type: 'string', default: 'off,floor,referenced,pagemap' },
    tag: { type: 'string', default: '' },
    child: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const phaseMs = Number(values.phase) * 1000;
const configs = values.configs.split(',');
for (const config of configs)
  if (!['off', 'floor', 'pagemap'].includes(config) && referencedVariant(config) === null)
    throw new Error(`--configs: off, floor, pagemap, referenced or referenced@<programBudget>% (comma-separated), not '${config}'`);

interface Phase {
  config: string;
  round: number;
  cpuNsPerRead: number;
  wallNsPerRead: number;
  monitorCore: number | null;
  cycles: number | null;
  lastCycleMs: number | null;
  intervalS: number | null;
  cellMiB: number | null;
  marked: number | null;
  /** referenced only: the reader's loss around window openings against its settled rate in the same phase, and what the source counted (its windows' lastWindowProgramMs over the phase). */
  windowLoss: number | null;
  countedLoss: number | null;
  openings: number | null;
}

// Where an opening's cost has worn off: the last 30% of the time between two openings (the
// reader has used the armed pages of the cells by then, even at 16 GiB, docs/sources.md).
const SETTLED_FROM = 0.7;

/**
 * The share of the reader's time lost around window openings: its rate over the whole phase
 * against its rate in the settled part of each interval between openings (the interval from
 * the monitor's start counts; the one still open at the phase's end does not). What the core's
 * periodic sampling costs falls on every slice alike and is not in it (the floor is).
 */
function lossAroundOpenings(slices: Slice[], monitorStart: number): { loss: number; openings: number } | null {
  const openings = slices.flatMap((s, i) => (i > 0 && s.cycles > slices[i - 1]!.cycles ? [s.t] : []));
  const bounds = [monitorStart, ...openings];
  let settledReads = 0;
  let settledMs = 0;
  for (let k = 0; k + 1 < bounds.length; k++) {
    const from = bounds[k]! + (bounds[k + 1]! - bounds[k]!) * SETTLED_FROM;
    for (const s of slices)
      if (s.t >= from && s.t < bounds[k + 1]!) {
        settledReads += s.reads;
        settledMs += s.ms;
      }
  }
  if (settledMs === 0) return null;
  const reads = slices.reduce((a, s) => a + s.reads, 0);
  const ms = slices.reduce((a, s) => a + s.ms, 0);
  return { loss: 1 - reads / ms / (settledReads / settledMs), openings: openings.length };
}

/** One 5 ms slice of reads: its start and length (ms), reads done, and the source's windows completed when it ended. */
interface Slice {
  t: number;
  ms: number;
  reads: number;
  cycles: number;
}

/** Random reads over `views` (each a power-of-two length) in 5 ms slices, yielding between them, for `ms`; each slice goes to `onSlice`. */
async function read(views: Uint32Array[], ms: number, st: { x: number; sum: number }, onSlice?: (t: number, ms: number, reads: number) => void): Promise<number> {
  const end = performance.now() + ms;
  let n = 0;
  let x = st.x;
  let sum = 0;
  while (performance.now() < end) {
    const sliceStart = performance.now();
    const slice = sliceStart + 5;
    let sliceReads = 0;
    while (performance.now() < slice) {
      for (let i = 0; i < 4096; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        const v = views[(x >>> 28) % views.length]!;
        sum += v[x & (v.length - 1)]!;
      }
      n += 4096;
      sliceReads += 4096;
    }
    onSlice?.(sliceStart, performance.now() - sliceStart, sliceReads);
    await new Promise((r) => setImmediate(r));
  }
  st.x = x;
  st.sum = (st.sum + sum) >>> 0;
  return n;
}

async function child(sizeGiB: number): Promise<Phase[]> {
  // Segments of at most 1 GiB (one contiguous mapping), each populated on 4 KiB pages.
  const segments = allocAlignedSegments(sizeGiB * GiB, Math.min(sizeGiB, 1) * GiB);
  for (const s of segments) {
    await madvise(s, 'nohugepage');
    await madvise(s, 'populate-write');
  }
  const views = segments.map((s) => new Uint32Array(s));
  const st = { x: 0x9e3779b9, sum: 0 };
  await read(views, 2000, st);
  const phases: Phase[] = [];
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < configs.length; k++) {
      const config = configs[(k + round) % configs.length]!;
      const referencedOptions = referencedVariant(config);
      const referenced = referencedOptions === null ? null : new ReferencedSource(referencedOptions);
      const source = referenced ?? (config === 'floor' ? new PatternSource() : config === 'pagemap' ? new PagemapSource() : null);
      const monitor = source === null ? null : new AccessMonitor({ source, targets: [{ ranges: segments }] });
      const monitorStart = performance.now();
      monitor?.start();
      await read(views, 1000, st); // the monitor starts (referenced: its split and first clear)
      const snap0 = monitor?.snapshot() ?? null;
      const state0 = referenced?.state() ?? null;
      const slices: Slice[] = [];
      let counted = 0;
      const onSlice =
        referenced === null
          ? undefined
          : (t: number, ms: number, reads: number) => {
              const s = referenced.state();
              if (s.cycles > (slices.at(-1)?.cycles ?? state0!.cycles)) counted += s.lastWindowProgramMs;
              slices.push({ t, ms, reads, cycles: s.cycles });
            };
      const cpu0 = mainThreadCpuNs();
      const t0 = performance.now();
      const n = await read(views, phaseMs, st, onSlice);
      const wallNs = (performance.now() - t0) * 1e6;
      const cpuNs = mainThreadCpuNs() - cpu0;
      const snap1 = monitor?.snapshot() ?? null;
      const state1 = referenced?.state() ?? null;
      await monitor?.stop();
      const around = referenced === null ? null : lossAroundOpenings(slices, monitorStart);
      phases.push({
        config,
        round,
        cpuNsPerRead: cpuNs / n,
        wallNsPerRead: wallNs / n,
        monitorCore: snap0 && snap1 && snap1.timeMs > snap0.timeMs ? (snap1.threadCpuMs - snap0.threadCpuMs) / (snap1.timeMs - snap0.timeMs) : null,
        cycles: state1 && state0 ? state1.cycles - state0.cycles : null,
        lastCycleMs: state1 ? state1.lastCycleCpuMs : null,
        intervalS: state1 ? state1.intervalMs / 1000 : null,
        cellMiB: state1 ? state1.cellBytes / 2 ** 20 : null,
        marked: state1 ? state1.markedRanges : null,
        windowLoss: around?.loss ?? null,
        openings: around?.openings ?? null,
        countedLoss: referenced === null ? null : counted / (wallNs / 1e6),
      });
      console.error(`${sizeGiB} GiB round ${round + 1}/${rounds} ${config}: ${(cpuNs / n).toFixed(1)} ns CPU/read, monitor ${((phases.at(-1)!.monitorCore ?? 0) * 100).toFixed(2)}% of a core`);
    }
  }
  return phases;
}

if (values.child !== undefined) {
  process.stdout.write(JSON.stringify(await child(Number(values.child))) + '\n');
} else {
  const { spawnSync } = await import('node:child_process');
  const path = await import('node:path');
  const root = path.resolve(__dirname, '../..');
  const sizes = values.sizes.split(',').map(Number);
  const all: Record<number, Phase[]> = {};
  for (const size of sizes) {
    const r = spawnSync(
      process.execPath,
      [path.join(root, 'node_modules/vite-node/vite-node.mjs'), __filename, '--', '--child', String(size), '--rounds', values.rounds, '--phase', values.phase, '--configs', values.configs],
      {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 1 << 26,
      },
    );
    if (r.status !== 0) throw new Error(`child for ${size} GiB failed (${r.status ?? r.signal})`);
    all[size] = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Phase[];
  }
  const fmt = (v: number[], digits: number, scale = 1) => `${(median(v) * scale).toFixed(digits)} ±${((spread(v) * scale) / 1).toFixed(digits)}`;
  const rows: string[][] = [];
  for (const size of sizes) {
    const phases = all[size]!;
    const off = new Map(phases.filter((p) => p.config === 'off').map((p) => [p.round, p]));
    const floor = new Map(phases.filter((p) => p.config === 'floor').map((p) => [p.round, p.monitorCore ?? 0]));
    for (const config of configs) {
      const mine = phases.filter((p) => p.config === config);
      const cpuRatio = mine.flatMap((p) => (off.has(p.round) ? [p.cpuNsPerRead / off.get(p.round)!.cpuNsPerRead - 1] : []));
      const wallRatio = mine.flatMap((p) => (off.has(p.round) ? [p.wallNsPerRead / off.get(p.round)!.wallNsPerRead - 1] : []));
      const aboveFloor = mine.flatMap((p) => (floor.has(p.round) && p.monitorCore !== null ? [p.monitorCore - floor.get(p.round)!] : []));
      const ref = mine.filter((p) => p.cycles !== null);
      rows.push([
        `${size}`,
        config,
        fmt(
          mine.map((p) => p.cpuNsPerRead),
          1,
        ),
        config === 'off' ? '-' : `${(median(cpuRatio) * 100).toFixed(1)}% [${cpuRatio.map((r) => (r * 100).toFixed(1)).join(', ')}]`,
        config === 'off' ? '-' : `${(median(wallRatio) * 100).toFixed(1)}%`,
        config === 'off'
          ? '-'
          : fmt(
              mine.map((p) => p.monitorCore ?? 0),
              2,
              100,
            ) + '%',
        config === 'off' || config === 'floor' || aboveFloor.length === 0 ? '-' : `${(median(aboveFloor) * 100).toFixed(2)}% [${aboveFloor.map((r) => (r * 100).toFixed(1)).join(', ')}]`,
        ref.length === 0 ? '-' : `${ref.map((p) => p.cycles).join('/')}`,
        ref.length === 0
          ? '-'
          : fmt(
              ref.map((p) => p.lastCycleMs!),
              1,
            ),
        ref.length === 0
          ? '-'
          : fmt(
              ref.map((p) => p.intervalS!),
              2,
            ),
        ref.length === 0 ? '-' : `${ref[0]!.cellMiB} MiB x ${ref[0]!.marked}`,
        ...[ref.flatMap((p) => (p.windowLoss === null ? [] : [p.windowLoss])), ref.flatMap((p) => (p.countedLoss === null ? [] : [p.countedLoss]))].map((v) =>
          v.length === 0 ? '-' : `${(median(v) * 100).toFixed(2)}% [${v.map((r) => (r * 100).toFixed(1)).join(', ')}]`,
        ),
      ]);
    }
  }
  const header = [
    `CPU: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} CPUs; load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
    `read overhead: random 4-byte reads over N GiB on 4 KiB pages, monitors at their defaults (5 ms / 100 ms, up to 1000 regions; referenced: windows >= 1 s, 1% CPU budget); ${rounds} rounds of ${values.phase} s phases, interleaved; median ±(max-min)/2; slowdown: per-round ratio to off; floor: a monitor thread on the same schedule that touches no memory (pattern source, nothing hot); lost around openings: the reader's rate over the phase against its rate in the last ${(100 - SETTLED_FROM * 100).toFixed(0)}% of each interval between window openings (same phase); counted: the source's own count of its windows' cost (lastWindowProgramMs) over the phase`,
  ].join('\n');
  const table = formatTable(
    [
      'GiB',
      'monitor',
      'reader CPU ns/read',
      'reader CPU slowdown [per round]',
      'wall slowdown',
      'monitor thread, % of a core',
      'above floor (same round) [per round]',
      'windows per phase',
      'window cost ms',
      'window wait s',
      'cells',
      'lost around openings [per round]',
      'counted by the source [per round]',
    ],
    rows,
  );
  const text = `${header}\n${table}`;
  console.log(text);
  saveResults('read-overhead', text, { options: values, phases: all }, values.tag);
}
