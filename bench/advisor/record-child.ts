// Records one run of the tuner benchmark's workload (bench/tuner/child.ts, 4 KiB pages) in its
// own process, as `thp-autotune record` would, for the advisor benchmark (index.ts).
//
//   npx vite-node bench/advisor/record-child.ts -- <out> <child.ts arguments...>
import { Recorder } from '../../lib/record/index.js';

const [out, ...childArgs] = process.argv.slice(2).filter((a) => a !== '--');
const recorder = new Recorder({ out: out!, targetsInterval: '1s' });
recorder.on('error', (e) => process.stderr.write(`recorder: ${e.message}\n`));
await recorder.start();
process.argv = [process.argv[0]!, 'child.ts', ...childArgs];
await import('../tuner/child.js');
const end = await recorder.stop('exit');
process.stderr.write(`recorded ${end.snapshots} snapshots\n`);
