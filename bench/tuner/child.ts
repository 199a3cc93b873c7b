// One configuration of the tuner benchmark in a fresh process (see index.ts): builds the
// workload's memory, runs the same sliced random-write (or read-only) workload through a
// warm-up and a measured phase, and prints one JSON line.
//
//   npx vite-node bench/tuner/child.ts -- <4k|always|tuner> <hotGiB> <coldGiB> <sparseGiB> <warmupS> <measureS> <timeQuota> <sampleInterval> <aggregationInterval> <maxRegions> <write|read> <source>
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { residency } from '../../lib/memory/index.js';
import { readSmapsRollup } from '../../lib/procfs/index.js';
import { HugepageTuner } from '../../lib/tuner/index.js';
import { referencedVariant } from '../common/referenced-variant.js';
import { memoryOutside } from './outside-memory.js';
import { buildMemory, loopState, run as runLoop, work as workLoop, type Access } from './workload.js';

const [config, hotGiB, coldGiB, sparseGiB, warmupS, measureS, timeQuota, sampleInterval, aggregationInterval, maxRegions, access, source] = process.argv.slice(2).filter((a) => a !== '--');
const loopAccess: Access = access === 'read' ? 'read' : 'write';
const work = (u32: Uint32Array, ms: number, st: { x: number; sum: number }) => workLoop(u32, ms, st, loopAccess);
const run = (u32: Uint32Array, seconds: number, st: { x: number; sum: number }, onSecond?: (n: number) => Promise<void>) => runLoop(u32, seconds, st, loopAccess, onSecond);

async function main(): Promise<void> {
  const t0 = performance.now();
  const { hot, cold, sparse } = await buildMemory(config === 'always' ? 'huge' : 'small', Number(hotGiB), Number(coldGiB), Number(sparseGiB));
  const populateMs = performance.now() - t0;

  const u32 = new Uint32Array(hot);
  const st = loopState();
  let tuner: HugepageTuner | null = null;
  const hugeFraction = async () => (await residency(hot)).filter((u) => u.pmdMapped).length / (hot.byteLength / 2 ** 21);
  let hotHugeAtS: number | null = null;
  if (config === 'tuner') {
    const referencedSource = referencedVariant(source!);
    tuner = new HugepageTuner({
      source: referencedSource === null ? (source as 'pagemap') : { kind: 'referenced', ...referencedSource },
      monitoring: { sampleInterval: sampleInterval!, aggregationInterval: aggregationInterval!, maxRegions: Number(maxRegions) },
      schemes: [{ pattern: { accessRate: { min: '5%' } }, quota: { time: timeQuota!, size: '4G', goals: [] } }],
    });
    tuner.on('error', (e) => process.stderr.write(`tuner error: ${e.message}\n`));
    tuner.start();
  }
  // Warm-up: the same length for every configuration; the tuner's convergence time is recorded.
  const warmStart = performance.now();
  await run(u32, Number(warmupS), st, async () => {
    if (tuner && hotHugeAtS === null && (await hugeFraction()) >= 0.95) hotHugeAtS = (performance.now() - warmStart) / 1000;
  });

  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const m0 = performance.now();
  const accesses = await run(u32, Number(measureS), st);
  const seconds = (performance.now() - m0) / 1000;
  loop.disable();
  const rollup = await readSmapsRollup();
  const outside = await memoryOutside([hot, cold, sparse]);
  // Read after the measurement so the cold and sparse buffers stay referenced: otherwise V8 may
  // collect them early (allocAligned memory is unmapped with its ArrayBuffer) and RSS drops.
  const mappedBytes = hot.byteLength + cold.byteLength + sparse.byteLength;
  const hugeOfHot = await hugeFraction();

  // Event-loop delay with and without the tuner, same process and memory: a light service load
  // (0.3 ms of writes every 1 ms timer), phases alternated to cancel drift.
  const eventLoop: { on: number[]; off: number[] } = { on: [], off: [] };
  if (tuner) {
    for (const phase of ['on', 'off', 'on', 'off'] as const) {
      if (phase === 'on' && !tuner.running) tuner.start();
      if (phase === 'off') await tuner.stop();
      await new Promise((r) => setTimeout(r, 500)); // the monitor starts up
      const h = monitorEventLoopDelay({ resolution: 1 });
      h.enable();
      const timer = setInterval(() => work(u32, 0.3, st), 1);
      await new Promise((r) => setTimeout(r, 3000));
      clearInterval(timer);
      h.disable();
      eventLoop[phase].push(h.percentile(99) / 1e6);
    }
    await tuner.stop();
  }
  const stats = tuner?.stats();
  process.stdout.write(
    JSON.stringify({
      config,
      mappedBytes,
      populateMs,
      accessesPerSecond: accesses / seconds,
      rssBytes: rollup.rss,
      // The part of RSS that is this process's own machinery (V8's heap, the tuner's), not the workload's.
      v8HeapBytes: process.memoryUsage().heapTotal,
      otherRssBytes: outside.rssBytes,
      otherAnonHugeBytes: outside.anonHugeBytes,
      anonHugeBytes: rollup.anonHugePages,
      hugeOfHot,
      hotHugeAtS,
      loopP99Ms: loop.percentile(99) / 1e6,
      eventLoop,
      collapsed: stats?.schemes[0]?.stats.units.collapsed ?? null,
      actionMs: stats?.schemes[0]?.stats.actionMs ?? null,
      addedBytes: stats?.schemes[0]?.stats.addedBytes ?? null,
      units: stats?.schemes[0]?.stats.units ?? null,
      eligibility: stats?.eligibility ?? null,
    }) + '\n',
  );
}

await main();
