// One configuration of bench/loop-delay in a fresh process: the sliced random reader over a hot
// part and a cold part, with what the configuration adds running beside it; prints one JSON line.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { AccessMonitor, HugepageTuner, ReferencedSource } from '../../lib/index.js';
import { addressOf, madvise } from '../../lib/memory/index.js';
import { touchPages } from '../suite/memory.js';
import { LONG_SLICE_MS } from '../suite/sliced-run.js';
import { loadRecommendedSettings } from '../suite/recommended-settings.js';
import path from 'node:path';

const [config, hotMiB, coldMiB, settleS, measureS] = process.argv.slice(2).filter((a) => a !== '--');
const HOT = Number(hotMiB) * 2 ** 20;
const COLD = Number(coldMiB) * 2 ** 20;
const UNIT = 2n ** 21n;
const SMAPS_EVERY_MS = 1500;

const buffer = new ArrayBuffer(HOT + COLD);
const start = addressOf(buffer);
if (config === 'huge' || config === 'huge+monitor' || config === 'huge+smaps') {
  // THP=always's effect on the hot part, without changing the system setting: advised before the first touch.
  const first = (start + UNIT - 1n) & ~(UNIT - 1n);
  await madvise({ address: first, length: Number(((start + BigInt(HOT)) & ~(UNIT - 1n)) - first) }, 'hugepage');
}
const words = new Uint32Array(buffer);
const hotWords = HOT / 4;
touchPages(words.subarray(0, hotWords)); // every hot page resident
touchPages(words.subarray(hotWords), 4); // one cold page in four

let stop: () => Promise<void> = async () => {};
if (config === 'huge+monitor') {
  const monitoring = loadRecommendedSettings(path.resolve(__dirname, '../..')).options.monitoring ?? {};
  const monitor = new AccessMonitor({ source: new ReferencedSource(), monitoring, targets: [{ ranges: [buffer] }] });
  monitor.start();
  stop = () => monitor.stop();
} else if (config === 'huge+smaps') {
  // What the referenced source's window opening and the goal metric read: the process's smaps.
  const reader = new Worker(`setInterval(() => require('node:fs').readFileSync('/proc/self/smaps'), ${SMAPS_EVERY_MS});`, { eval: true });
  reader.unref();
  stop = async () => void (await reader.terminate());
} else if (config === 'tuner' || config === 'tuner+arm-huge') {
  const recommended = loadRecommendedSettings(path.resolve(__dirname, '../..')).options;
  // tuner+arm-huge: cells already on huge pages armed in every window, as before hugeInterval.
  const options = config === 'tuner' ? recommended : { ...recommended, source: { kind: 'referenced' as const, hugeInterval: 0 } };
  const tuner = new HugepageTuner(options);
  tuner.on('error', (e) => process.stderr.write(`tuner error: ${e.message}\n`));
  tuner.start();
  stop = () => tuner.stop();
}

const delay = monitorEventLoopDelay({ resolution: 1 });
let x = 12345;
let sum = 0;
let overrunMs = 0;
let slices = 0;
// A slice held up inside (the reader's thread stalled: by the hypervisor, a TLB flush, an
// Accessed-bit trap) against a long turn of the event loop between slices (JavaScript that
// ran there: the tuner's callbacks, garbage collection); either makes one loop-delay sample
// long. The suite counts its held-up slices with the same threshold.
let longSlices = 0;
let longGaps = 0;
const settleEnd = performance.now() + Number(settleS) * 1000;
const end = settleEnd + Number(measureS) * 1000;
let measuring = false;
while (performance.now() < end) {
  if (!measuring && performance.now() >= settleEnd) {
    measuring = true;
    delay.enable();
  }
  const s = performance.now();
  const sliceEnd = s + 5;
  while (performance.now() < sliceEnd)
    for (let k = 0; k < 4096; k++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      sum += words[x % hotWords]!;
    }
  if (measuring) {
    slices++;
    const overrun = performance.now() - s - 5;
    overrunMs += overrun;
    if (overrun >= LONG_SLICE_MS) longSlices++;
  }
  const turn = performance.now();
  await new Promise((resolve) => setImmediate(resolve));
  if (measuring && performance.now() - turn >= LONG_SLICE_MS) longGaps++;
}
delay.disable();
await stop();
console.log(
  JSON.stringify({
    config,
    p99Ms: delay.percentile(99) / 1e6,
    p999Ms: delay.percentile(99.9) / 1e6,
    overrunMsPerS: overrunMs / Number(measureS),
    longSlicesPerS: longSlices / Number(measureS),
    longGapsPerS: longGaps / Number(measureS),
    slices,
    checksum: sum > 0,
  }),
);
