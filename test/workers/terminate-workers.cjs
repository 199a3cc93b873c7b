// Child process for worker-terminate.test.ts: starts a worker_thread that uses the addon in
// one way (argv[3]), lets it run a moment, terminates it, and repeats (argv[4] times). The
// process must survive every termination and exit 0.
const { once } = require('node:events');
const { Worker } = require('node:worker_threads');

const [, , entry, mode, roundsArg] = process.argv;
const uses = {
  // A monitor thread delivering snapshots through its ThreadSafeFunction.
  monitor: `const m = new api.AccessMonitor({ source: new api.PatternSource({ mappings: [{ start: 2 ** 32, end: 2 ** 32 + 2 ** 30 }] }), sampleInterval: 1, aggregationInterval: 2 });
    m.on('aggregate', () => {});
    m.start();`,
  // Promises of the libuv pool's memory operations settling while the environment goes away.
  memory: `const b = api.allocAligned(4 * 2 ** 20);
    new Uint8Array(b).fill(1);
    (async () => { for (;;) { await api.collapse(b); await api.residency(b); await api.madvise(b, 'hugepage'); } })().catch(() => {});`,
  // A tuner: its eligibility reads, a pagemap monitor and its applications.
  tuner: `const b = api.allocAligned(8 * 2 ** 20);
    new Uint8Array(b).fill(1);
    new api.HugepageTuner({ monitoring: { sampleInterval: '1ms', aggregationInterval: '2ms' }, warmupAggregations: 0 }).start();`,
}[mode];
if (uses === undefined) throw new Error(`unknown mode ${mode}`);
// Loading the addon is part of what is terminated: some workers end while it registers.
const code = `const api = require(${JSON.stringify(entry)});
  ${uses}
  require('node:worker_threads').parentPort.postMessage('running');`;

(async () => {
  for (let i = 0; i < Number(roundsArg); i++) {
    const worker = new Worker(code, { eval: true });
    worker.on('error', (e) => {
      console.error(e);
      process.exitCode = 1;
    });
    // Alternate between terminating at once (during require and registration) and after the work began.
    if (i % 2 === 1) await Promise.race([once(worker, 'message'), once(worker, 'exit')]);
    await new Promise((resolve) => setTimeout(resolve, (i * 7) % 25));
    await worker.terminate();
  }
  console.log(`survived ${roundsArg} terminations (${mode})`);
})();
