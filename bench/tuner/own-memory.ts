// The tuner's own memory: RSS outside the workload's buffer and the JS heap of a process whose
// 1 GiB buffer is written at random for a while, with no tuner or a tuner on either source.
// What the tuner adds there is bloat it causes itself (bench/results/referenced-window-evidence-2026-12-05.md).
//
//   npx vite-node bench/tuner/own-memory.ts -- <collapse|stat> <referenced|pagemap|none> [seconds=30] [opsUpdateInterval=2s]
import { cpus, release } from 'node:os';
import { allocAligned } from '../../lib/memory/index.js';
import { HugepageTuner } from '../../lib/tuner/index.js';
import type { Duration } from '../../lib/units/index.js';
import { memoryOutside } from './outside-memory.js';
import { loopState, run } from './workload.js';

const [action = 'stat', source = 'referenced', seconds = '30', opsUpdateInterval = '2s'] = process.argv.slice(2).filter((a) => a !== '--');
if (action !== 'collapse' && action !== 'stat') throw new Error(`action: 'collapse' or 'stat', not '${action}'`);
if (source !== 'referenced' && source !== 'pagemap' && source !== 'none') throw new Error(`source: 'referenced', 'pagemap' or 'none', not '${source}'`);

const buffer = allocAligned(2 ** 30);
const u32 = new Uint32Array(buffer);
u32.fill(1);
const tuner =
  source === 'none'
    ? null
    : new HugepageTuner({
        source,
        monitoring: { opsUpdateInterval: opsUpdateInterval as Duration },
        schemes: [{ action, pattern: { accessRate: { min: '5%' } }, quota: { time: '500ms', size: '4G', goals: [] } }],
      });
tuner?.start();
await run(u32, Number(seconds), loopState(), 'write');
const units = tuner?.stats().schemes[0]?.stats.units;
await tuner?.stop();
const outside = await memoryOutside([buffer]);
const MiB = 2 ** 20;
console.log(`CPU: ${cpus()[0]?.model ?? 'unknown'}; kernel ${release()}`);
console.log(
  `${action} ${source} (ops update ${opsUpdateInterval}, ${seconds} s): RSS outside the buffer ${(outside.rssBytes / MiB).toFixed(1)} MiB, ` +
    `AnonHugePages outside ${(outside.anonHugeBytes / MiB).toFixed(1)} MiB, JS heap ${(process.memoryUsage().heapTotal / MiB).toFixed(1)} MiB` +
    (units ? `, units collapsed ${units.collapsed}` : ''),
);
