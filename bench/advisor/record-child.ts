// Records the tuner benchmark's workload (bench/tuner/workload.ts: hot set on 4 KiB pages,
// cold and sparse memory) in its own process, as `thp-autotune record` would run a script, for
// the advisor benchmark (index.ts). Prints one JSON line: what the loop really did while it
// was recorded, to set beside the rate the advisor reads from the recording.
//
//   npx vite-node bench/advisor/record-child.ts -- <out> <hotGiB> <coldGiB> <sparseGiB> <seconds> <write|read> <sample> <aggregation> <maxRegions> <referenced|pagemap>
import { Recorder } from '../../lib/record/index.js';
import { buildMemory, loopState, run, type Access } from '../tuner/workload.js';

const [out, hotGiB, coldGiB, sparseGiB, seconds, access, sample, aggregation, maxRegions, source] = process.argv.slice(2).filter((a) => a !== '--');
const memory = await buildMemory('small', Number(hotGiB), Number(coldGiB), Number(sparseGiB));
// The recorder starts once the memory is built and every page touched: what it records is the
// workload's steady state, not the hypervisor backing fresh pages (workload.ts, touchPages).
// The earlier version started it first, and over a 1 GiB hot set the loop, slowed 100x by
// those first touches (and by the sampler then protecting whole units, since fixed), wrote so
// few pages per sample that 0.12 GiB of the 1 GiB looked hot.
const recorder = new Recorder({
  out: out!,
  source: source as 'referenced' | 'pagemap',
  targetsInterval: '1s',
  monitoring: { sampleInterval: sample!, aggregationInterval: aggregation!, maxRegions: Number(maxRegions) },
});
recorder.on('error', (e) => process.stderr.write(`recorder: ${e.message}\n`));
await recorder.start();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const accesses = await run(new Uint32Array(memory.hot), Number(seconds), loopState(), access as Access);
const wallS = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const end = await recorder.stop('exit');
process.stdout.write(
  `${JSON.stringify({ snapshots: end.snapshots, accesses, wallS, cpuS: (cpu.user + cpu.system) / 1e6, bytes: memory.hot.byteLength + memory.cold.byteLength + memory.sparse.byteLength })}\n`,
);
