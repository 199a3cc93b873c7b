// Records one run of the tuner benchmark's workload (bench/tuner/child.ts, 4 KiB pages) in its
// own process, as `thp-autotune record` would, for the advisor benchmark (index.ts).
//
//   npx vite-node bench/advisor/record-child.ts -- <out> <child.ts arguments...>
import { Recorder } from '../../lib/record/index.js';

const [out, ...childArgs] = process.argv.slice(2).filter((a) => a !== '--');
// 20 ms sampling: a random-write loop over GiBs touches a given page rarely within 5 ms, and
// the advisor rescales rates to the tuner's 50 ms anyway; 200 regions find the hot set's edges.
const recorder = new Recorder({ out: out!, targetsInterval: '1s', monitoring: { sampleInterval: '20ms', aggregationInterval: '400ms', maxRegions: 200 } });
recorder.on('error', (e) => process.stderr.write(`recorder: ${e.message}\n`));
await recorder.start();
process.argv = [process.argv[0]!, 'child.ts', ...childArgs];
await import('../tuner/child.js');
const end = await recorder.stop('exit');
process.stderr.write(`recorded ${end.snapshots} snapshots\n`);
