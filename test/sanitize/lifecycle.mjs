// Start/update/stop cycles of every native object with a thread or a ThreadSafeFunction, run
// as a plain node script under ThreadSanitizer (test:tsan) and LeakSanitizer (test:lsan):
// TSan crashes vitest itself, and LSan must see the process exit after everything stopped.
//   node test/sanitize/lifecycle.mjs [cycles] [--no-worker]   the cycles, then a normal exit
//   node test/sanitize/lifecycle.mjs --exit-running     starts monitors and a tuner, exits
//   node test/sanitize/lifecycle.mjs --end-running      starts them and lets node end by itself
// The addon comes from THP_AUTOTUNE_NATIVE (the sanitizer build), the API from dist/.
// --no-worker leaves out the worker_threads round: under TSan, node's own worker message
// ports (uninstrumented, ordered through libuv) raise races in node alone, and a suppression
// broad enough for them would hide the addon's races on worker threads too.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const api = require('../../dist/index.cjs');
const { AccessMonitor, HugepageTuner, InvalidArgumentError, PagemapSource, PatternSource, allocAligned } = api;

const BASE = 0x7f00_0000_0000;
const MiB = 2 ** 20;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const patternMonitor = (seed, extra = {}) =>
  new AccessMonitor({
    monitoring: { sampleInterval: '1ms', aggregationInterval: '10ms' },
    targets: [{ ranges: [{ start: BASE, end: BASE + 64 * MiB }] }],
    source: new PatternSource({ hot: [{ start: BASE + 8 * MiB, end: BASE + 12 * MiB, probability: 0.5 }] }),
    seed,
    ...extra,
  });
const simTuner = () =>
  new HugepageTuner({
    source: { kind: 'sim', mappings: [{ start: BASE, end: BASE + 32 * MiB }], workload: { hot: [{ start: BASE, end: BASE + 8 * MiB }], accessesPer5ms: 2000 } },
    schemes: [{ pattern: { accessRate: { min: '5%' } }, quota: { goals: [] } }],
    warmupAggregations: 0,
  });
// The pagemap source needs userfaultfd + PAGEMAP_SCAN (Linux 6.7); without them its cycle is skipped, and said so.
function pagemapMonitor(buffer) {
  try {
    return new AccessMonitor({ monitoring: { sampleInterval: '1ms', aggregationInterval: '10ms' }, targets: [{ ranges: [buffer] }], source: new PagemapSource() });
  } catch (error) {
    console.log(`pagemap monitor skipped: ${error.message}`);
    return null;
  }
}

// Several monitors at once, each with snapshots read on the JS thread while its thread
// publishes them, an update() mid-run and a stop in flight while aggregations are queued.
async function monitorsRound(round) {
  const monitors = [1, 2, 3].map((seed) => patternMonitor(round * 10 + seed).start());
  const reader = setInterval(() => monitors.forEach((m) => m.snapshot()), 1);
  await sleep(40);
  monitors[0].update({ aggregationInterval: '20ms' });
  for await (const snapshot of monitors[1]) if (snapshot.aggregation >= 2) break;
  await sleep(20);
  clearInterval(reader);
  await Promise.all(monitors.map((m) => m.stop()));
  assert.ok(monitors.every((m) => !m.running));
}

async function abortRound() {
  const controller = new AbortController();
  const m = patternMonitor(7, { signal: controller.signal }).start();
  setTimeout(() => controller.abort(), 30);
  let aggregations = 0;
  for await (const _ of m) aggregations++;
  assert.ok(!m.running);
  const disposed = patternMonitor(8).start();
  await disposed[Symbol.asyncDispose]();
  assert.ok(!disposed.running && aggregations >= 0);
}

async function pagemapRound(buffer) {
  const m = pagemapMonitor(buffer);
  if (!m) return;
  const bytes = new Uint8Array(buffer);
  m.start();
  for (let i = 0; i < 20; i++) {
    for (let j = 0; j < bytes.length; j += 4096 * 7) bytes[j]++;
    m.snapshot();
    await sleep(2);
  }
  await m.stop();
  assert.equal(m.source.registeredBytes(), 0);
}

async function tunerRound() {
  const sim = simTuner();
  await sim.step(20);
  sim.update({ schemes: [{ quota: { time: '20ms' } }] });
  await sim.step(10);
  const real = new HugepageTuner();
  try {
    real.start();
  } catch (error) {
    console.log(`real-memory tuner skipped: ${error.message}`);
    return;
  }
  await sleep(150);
  await real.stop();
}

// Each bad call must throw the package's typed error and leave nothing behind.
function errorPaths() {
  assert.throws(() => patternMonitor(1, { sampleInterval: '-1ms' }), InvalidArgumentError);
  assert.throws(() => new AccessMonitor({ source: { kind: 'nonsense' } }), InvalidArgumentError);
  const m = patternMonitor(2).start();
  assert.throws(() => m.step(1));
  return m.stop();
}

// A worker that runs a monitor and is terminated while its thread delivers.
async function workerRound() {
  const code = `
    const { parentPort } = require('node:worker_threads');
    const { AccessMonitor, PatternSource } = require(${JSON.stringify(require.resolve('../../dist/index.cjs'))});
    const m = new AccessMonitor({ monitoring: { sampleInterval: '1ms', aggregationInterval: '10ms' },
      targets: [{ ranges: [{ start: ${BASE}, end: ${BASE + 64 * MiB} }] }], source: new PatternSource({ hot: [{ start: ${BASE}, end: ${BASE + MiB}, probability: 1 }] }) });
    let n = 0;
    m.on('aggregate', () => { if (++n === 2) parentPort.postMessage(n); });
    m.start();
    setInterval(() => {}, 1000);
  `;
  const worker = new Worker(code, { eval: true });
  await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
}

async function startEverything(buffer) {
  const monitors = [1, 2].map((seed) => patternMonitor(seed).start());
  pagemapMonitor(buffer)?.start();
  try {
    new HugepageTuner().start();
  } catch (error) {
    console.log(`real-memory tuner skipped: ${error.message}`);
  }
  await sleep(50);
  return monitors;
}

const buffer = allocAligned(16 * MiB);
new Uint8Array(buffer).fill(1);
const mode = process.argv[2];
if (mode === '--exit-running') {
  await startEverything(buffer);
  process.exit(0);
} else if (mode === '--end-running') {
  // Nothing is stopped: the addon's threads and handles must not keep node alive.
  await startEverything(buffer);
} else {
  const cycles = Number(mode ?? 3);
  const withWorker = !process.argv.includes('--no-worker');
  for (let round = 0; round < cycles; round++) {
    await monitorsRound(round);
    await abortRound();
    await pagemapRound(buffer);
    await tunerRound();
    await errorPaths();
    if (withWorker) await workerRound();
  }
  // Collect the stopped objects now, so their native halves are freed before LSan looks.
  globalThis.gc?.();
  await sleep(20);
  globalThis.gc?.();
  console.log(`lifecycle: ${cycles} cycles done`);
}
