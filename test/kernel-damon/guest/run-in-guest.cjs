// The test run inside the guest (kernel with CONFIG_DAMON_VADDR): another process writes a
// known hot set; an AccessMonitor with the damon source watches it from here, a
// HugepageTuner with its pid collapses the hot part, `thp-autotune tune --pid` attaches and
// detaches, someone else's kdamonds are left alone, a monitoring process exits mid-run, and
// the target exits under a running monitor. Every result is one `KDAMON-TEST {json}` line on the console for the host test
// (test/kernel-damon/guest-run.test.ts), which scores and asserts them.
'use strict';
const { spawn } = require('node:child_process');
const { readFileSync, writeFileSync } = require('node:fs');
const thp = require('/pkg');

const UNIT = 2 ** 21;
const SNAPSHOTS = 30;

const ADMIN = '/sys/kernel/mm/damon/admin/kdamonds';
// DAMON's sysfs answers EBUSY while its lock is held elsewhere for a moment: try again.
function retryBusy(op) {
  for (let attempt = 1; ; attempt++) {
    try {
      return op();
    } catch (e) {
      if (e.code !== 'EBUSY' || attempt === 200) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}
const write = (file, value) => retryBusy(() => writeFileSync(`${ADMIN}/${file}`, String(value)));
const read = (file) => retryBusy(() => readFileSync(`${ADMIN}/${file}`, 'utf8').trim());
const nrKdamonds = () => Number(read('nr_kdamonds'));
/** Processes this run started, killed if it fails. */
const children = [];
const uptime = () => Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
const emit = (event, data) => process.stdout.write(`KDAMON-TEST ${JSON.stringify({ event, uptime: uptime(), ...data })}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// `promise`, or `fallback` after `ms`. The timer keeps this process alive while it waits (the
// package's own threads never do) and is cleared as soon as the promise settles.
function within(promise, ms, fallback) {
  let timer;
  const limit = new Promise((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

// Under TCG, QEMU sets a page's Accessed bit only when it fills its software TLB, which
// holds millions of entries and is flushed when a CPU switches address spaces (CR3). DAMON
// clears Accessed bits without a flush (as on hardware, where the small TLB evicts entries
// soon), so a writer alone on its CPU would show almost no accesses. A busy shell on the same
// CPU makes the scheduler switch address spaces every few milliseconds, as on a loaded
// machine; the writer still runs about half the time.
function startWriter() {
  const spinner = spawn('/bin/taskset', ['-c', '1', '/bin/sh', '-c', 'while :; do :; done'], { stdio: 'ignore' });
  const child = spawn('/bin/taskset', ['-c', '1', '/bin/node', '/guest/hot-writer.cjs'], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(spinner, child);
  child.on('exit', (code, signal) => {
    spinner.kill('SIGKILL');
    emit('writer-exit', { code, signal });
  });
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk) => {
      text += chunk;
      const lines = text.split('\n');
      if (lines.length > 2) resolve({ child, layout: { ...JSON.parse(lines[0]), ...JSON.parse(lines[1]) } });
    });
    child.on('exit', (code) => reject(new Error(`the writer exited with ${code} before its layout`)));
  });
}

// Phase 1: snapshots of the buffer (fixed range: fvaddr), relative to its base.
async function monitorPhase(pid, layout) {
  const before = nrKdamonds();
  const monitor = new thp.AccessMonitor({ source: new thp.KernelDamonSource({ pid }), targets: [{ ranges: [{ start: layout.base, end: layout.base + layout.size }] }] });
  const errors = [];
  monitor.on('error', (e) => errors.push(e.message));
  let stepError = null;
  try {
    monitor.step(1); // the kdamond runs in real time: nothing to step
  } catch (e) {
    stepError = `${e.name}: ${e.message}`;
  }
  const t0 = performance.now();
  let n = 0;
  let during = -1;
  monitor.start();
  for await (const s of monitor) {
    if (during < 0) during = nrKdamonds();
    n++;
    emit('snapshot', {
      aggregation: s.aggregation,
      signal: s.signal,
      maxNrAccesses: s.maxNrAccesses,
      elapsedMs: Math.round(s.elapsedMs),
      // Addresses are bigints; offsets from the buffer fit a number.
      regions: s.regions.map((r) => [Number(r.start) - layout.base, Number(r.end) - layout.base, r.nrAccesses, r.age]),
    });
    if (n >= SNAPSHOTS) break;
  }
  await monitor.stop();
  emit('monitor', { stepError, snapshots: n, ms: Math.round(performance.now() - t0), kdamondsBefore: before, kdamondsDuring: during, kdamondsAfter: nrKdamonds(), errors });
}

async function unitsHuge(pid, layout) {
  const units = await thp.residency({ address: BigInt(layout.base), length: layout.size }, { pid });
  const huge = units.map((u) => u.pmdMapped === true);
  const hot = huge.slice(layout.hotFirst, layout.hotFirst + layout.hotUnits);
  const cold = huge.filter((_, i) => i < layout.hotFirst || i >= layout.hotFirst + layout.hotUnits);
  return { hotHuge: hot.filter(Boolean).length, coldHuge: cold.filter(Boolean).length, coldUnits: cold.length };
}

// Phase 2: the tuner on the other process: damon source + process_madvise(MADV_COLLAPSE).
// Without the unit probe (README, tuner limits) the pattern asks for hot (>= 50% of samples)
// and settled (>= 3 aggregations old) regions, so a region just cut at the hot set's edge,
// still holding a cold unit, waits.
// "Hot" means written within most sampling intervals, so the interval follows the writer's
// measured pace: on a loaded host the emulated writer managed 9-10 passes per second (100 ms
// a pass) while sharing its CPU with the shell half the time, and its pages were seen in 20-35%
// of DAMON's default 5 ms samples, below the scheme's 50%. The pace is measured in the
// writer's first second, and a host that gets busier later slows it further (a run beside two
// spinning processes and other tests stalled at 12 of 16 hot units, and another, whose writer
// measured a pass under 2 ms in its first second, at 5 of 16 with 5 ms samples): three passes
// per sample, never below 20 ms (headroom for a writer that slows down later), at most 400 ms,
// and 10 samples per aggregation, so that a slow writer still leaves the tuner enough
// aggregations to find and settle the hot set.
const SAMPLES_PER_AGGREGATION = 10;
const MIN_SAMPLE_MS = 20;
function tunerMonitoring(layout) {
  const passMs = 1000 / Math.max(1, layout.passesPerSecond);
  const sampleMs = Math.min(400, Math.max(MIN_SAMPLE_MS, Math.ceil(3 * passMs)));
  const aggregationMs = SAMPLES_PER_AGGREGATION * sampleMs;
  return { sampleInterval: `${sampleMs}ms`, aggregationInterval: `${aggregationMs}ms`, settledAge: `${3 * aggregationMs}ms`, aggregationMs };
}

// Until every hot unit is huge, or no hot unit went huge for 45 s and 10 aggregations (after a
// first 90 s), or 240 s passed.
const TUNER_MIN_MS = 90_000;
const TUNER_STALL_MS = 45_000;
const TUNER_STALL_AGGREGATIONS = 10;
const TUNER_MAX_MS = 240_000;

async function tunerPhase(pid, layout) {
  const before = nrKdamonds();
  const monitoring = tunerMonitoring(layout);
  const tuner = new thp.HugepageTuner({
    pid,
    monitoring: { sampleInterval: monitoring.sampleInterval, aggregationInterval: monitoring.aggregationInterval },
    schemes: [{ pattern: { accessRate: { min: '50%' }, age: { min: monitoring.settledAge } }, quota: { time: 0, size: '1G', goals: [] } }],
  });
  const errors = [];
  tuner.on('error', (e) => errors.push(e.message));
  // Cold units that went huge, with the regions the scheme tried then: the evidence when a
  // region mixing hot and cold memory was taken for hot.
  const coldCollapses = [];
  const isHot = (unit) => unit >= layout.hotFirst && unit < layout.hotFirst + layout.hotUnits;
  tuner.on('apply', (report) => {
    const inBuffer = (a) => a >= layout.base && a < layout.base + layout.size;
    for (const unitAddress of report.collapsedUnits) {
      const address = Number(unitAddress); // addresses are bigints; below 2^53 a number holds them
      const unit = (address - layout.base) / UNIT;
      if (!inBuffer(address) || isHot(unit)) continue;
      const region = report.tried.find((t) => t.start <= unitAddress && t.end > unitAddress);
      coldCollapses.push({
        unit,
        aggregation: report.aggregation,
        region: region && [(Number(region.start) - layout.base) / UNIT, (Number(region.end) - layout.base) / UNIT, region.nrAccesses, region.age],
      });
    }
  });
  const t0 = performance.now();
  tuner.start();
  let state = await unitsHuge(pid, layout);
  let allHotAtMs = null;
  let progressAt = t0;
  const stallMs = Math.max(TUNER_STALL_MS, TUNER_STALL_AGGREGATIONS * monitoring.aggregationMs);
  for (let elapsed = 0; elapsed < TUNER_MAX_MS && (elapsed < TUNER_MIN_MS || performance.now() - progressAt < stallMs); elapsed = performance.now() - t0) {
    await sleep(500);
    const next = await unitsHuge(pid, layout);
    if (next.hotHuge > state.hotHuge) progressAt = performance.now();
    state = next;
    if (state.hotHuge === layout.hotUnits) {
      allHotAtMs = Math.round(performance.now() - t0);
      break;
    }
  }
  // A few more aggregations: the cold part must stay on 4 KiB pages while the tuner keeps running.
  if (allHotAtMs !== null) await sleep(Math.max(2000, 3 * monitoring.aggregationMs));
  state = await unitsHuge(pid, layout);
  const stats = tuner.stats();
  await tuner.stop();
  const vma = (await thp.readSmaps(pid)).find((v) => Number(v.start) <= layout.base && Number(v.end) > layout.base);
  emit('tuner', {
    ...state,
    sampleInterval: monitoring.sampleInterval,
    allHotAtMs,
    coldCollapses,
    anonHugeBytes: vma ? vma.anonHugePages : null,
    aggregations: stats.aggregations,
    units: stats.schemes[0]?.stats.units,
    kdamondsBefore: before,
    kdamondsAfter: nrKdamonds(),
    errors: errors.concat(stats.lastError ? [stats.lastError.message] : []),
  });
}

// Phase 3: `thp-autotune tune --pid` attaches to the process, prints its state, and on
// SIGTERM stops, giving the kdamond back.
async function cliPhase(pid) {
  const cli = spawn('/bin/node', ['/pkg/bin/thp-autotune.cjs', 'tune', '--pid', String(pid), '--json', '--interval', '500ms'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise((resolve) => cli.on('exit', (code, signal) => resolve({ code, signal })));
  let text = '';
  let during = -1;
  let lastStats = null;
  const attached = new Promise((resolve) => {
    cli.stderr.on('data', (chunk) => {
      text += chunk;
      for (const line of text.split('\n').slice(0, -1)) {
        try {
          lastStats = JSON.parse(line);
        } catch {
          continue; // a message, not a status line
        }
        if (lastStats.aggregations >= 3) resolve();
      }
      text = text.slice(text.lastIndexOf('\n') + 1);
    });
  });
  const ok = await within(Promise.race([attached.then(() => true), exited.then(() => false)]), 60_000, false);
  if (ok) during = nrKdamonds();
  cli.kill('SIGTERM');
  const { code, signal } = await within(exited, 30_000, { code: null, signal: 'timeout' });
  emit('cli', {
    attached: ok,
    aggregations: lastStats && lastStats.aggregations,
    lastError: lastStats && lastStats.lastError,
    code,
    signal,
    kdamondsDuring: during,
    kdamondsAfter: nrKdamonds(),
    stderrTail: text.slice(-500),
  });
}

// Phase 4: kdamonds of someone else. Slot 0 is configured by "another user" (a paddr
// context, turned on when the kernel accepts it), slot 1 is empty: the monitor must take slot
// 1, leave slot 0 as it is, commit new attributes to its own kdamond, and give slot 1 back
// empty. With slot 1 configured by someone else too it must refuse (an error event) and
// change nothing.
const slotState = (i) => `${read(`${i}/state`)}/${read(`${i}/contexts/nr_contexts`)}${read(`${i}/contexts/nr_contexts`) === '1' ? `/${read(`${i}/contexts/0/operations`)}` : ''}`;

async function sharingPhase(pid, layout) {
  write('nr_kdamonds', 2);
  write('0/contexts/nr_contexts', 1);
  write('0/contexts/0/operations', 'paddr');
  write('0/contexts/0/targets/nr_targets', 1);
  write('0/contexts/0/targets/0/regions/nr_regions', 1);
  write('0/contexts/0/targets/0/regions/0/start', 1 << 20);
  write('0/contexts/0/targets/0/regions/0/end', 2 << 20);
  let foreignOn = true;
  try {
    write('0/state', 'on');
  } catch {
    foreignOn = false;
  }
  const foreign = slotState(0);
  const ranges = [{ start: layout.base, end: layout.base + layout.size }];
  const monitor = new thp.AccessMonitor({ source: new thp.KernelDamonSource({ pid }), targets: [{ ranges }] });
  const errors = [];
  monitor.on('error', (e) => errors.push(e.message));
  monitor.start();
  let n = 0;
  let during = null;
  let aggrAfterUpdate = null;
  for await (const s of monitor) {
    n++;
    if (n === 2) {
      during = [slotState(0), slotState(1)];
      monitor.update({ aggregationInterval: '200ms' });
    }
    if (n === 5) aggrAfterUpdate = { snapshotMs: s.aggregationIntervalMs, sysfsUs: Number(read('1/contexts/0/monitoring_attrs/intervals/aggr_us')) };
    if (n >= 5) break;
  }
  await monitor.stop();
  const after = [read('nr_kdamonds'), slotState(0), slotState(1)];

  write('1/contexts/nr_contexts', 1);
  const refused = new thp.AccessMonitor({ source: new thp.KernelDamonSource({ pid }), targets: [{ ranges }] });
  const refusal = new Promise((resolve) => refused.on('error', (e) => resolve(e.message)));
  refused.start();
  const refusedError = await within(refusal, 30_000, null);
  await refused.stop();
  const afterRefusal = [read('nr_kdamonds'), slotState(0), slotState(1)];

  if (foreignOn) write('0/state', 'off');
  write('nr_kdamonds', 0);
  emit('sharing', { foreignOn, foreign, during, after, aggrAfterUpdate, errors, refusedError, afterRefusal });
}

// Phase 5: a process that exits (process.exit) while its damon monitor runs: the addon's
// environment cleanup stops the thread, which turns the kdamond off and gives it back. The
// child waits, monitor running, until the kdamonds are counted: exiting at once raced the
// count (on a busy host the emulated guest counted after the exit's cleanup, and saw 0).
async function processExitPhase(pid) {
  const code = `const thp = require('/pkg');
const m = new thp.AccessMonitor({ source: new thp.KernelDamonSource({ pid: ${pid} }) });
m.once('aggregate', () => { process.stdin.once('data', () => process.exit(7)); process.stdout.write('aggregate\\n'); });
m.start();
setInterval(() => {}, 1000);`;
  const child = spawn('/bin/node', ['-e', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  let during = -1;
  child.stdout.once('data', () => {
    during = nrKdamonds();
    child.stdin.write('exit\n');
  });
  const exited = new Promise((resolve) => child.on('exit', (status, signal) => resolve({ status, signal })));
  const { status, signal } = await within(exited, 60_000, { status: null, signal: 'timeout' });
  emit('process-exit', { status, signal, kdamondsDuring: during, kdamondsAfter: nrKdamonds() });
}

// Phase 6: the target exits while monitored: the kdamond stops by itself, the monitor reports
// it and gives the slot back.
async function exitPhase(child, pid, layout) {
  const monitor = new thp.AccessMonitor({ source: new thp.KernelDamonSource({ pid }), targets: [{ ranges: [{ start: layout.base, end: layout.base + layout.size }] }] });
  const failed = new Promise((resolve) => monitor.on('error', (e) => resolve(e.message)));
  monitor.start();
  for await (const _ of monitor) break;
  child.kill('SIGKILL');
  const error = await within(failed, 30_000, null);
  await monitor.stop();
  emit('exit-phase', { error, running: monitor.running, kdamondsAfter: nrKdamonds() });
}

async function main() {
  const t0 = performance.now();
  const caps = await thp.capabilities();
  emit('capabilities', { damonSysfs: caps.damonSysfs, madvCollapse: caps.madvCollapse.supported, thp: caps.thp.enabled });
  const { child, layout } = await startWriter();
  emit('layout', { ...layout, pid: child.pid, startMs: Math.round(performance.now() - t0) });
  await monitorPhase(child.pid, layout);
  await tunerPhase(child.pid, layout);
  await cliPhase(child.pid);
  await sharingPhase(child.pid, layout);
  await processExitPhase(child.pid);
  await exitPhase(child, child.pid, layout);
  emit('done', { ms: Math.round(performance.now() - t0) });
}

main().catch((e) => {
  emit('failed', { error: String(e && e.stack ? e.stack : e) });
  process.exitCode = 1;
  for (const child of children) child.kill('SIGKILL'); // they would keep this process, and the guest, running
});
