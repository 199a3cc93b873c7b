// The sim source's monitor thread in two builds loaded into ONE process and alternated (which
// goes first alternates too), so that what the process and this VM add (memory placement, the
// hypervisor's charge for a waking thread) falls on both alike; the CPU time per wall second of
// each monitor thread, as bench/sampler-cost measures it, and per round the ratio.
//   node bench/sampler-cost/before-after/ab-one-process.cjs <before dist/index.cjs> <after dist/index.cjs> <rounds> <seconds> <GiB,...>
// A build of an older commit: `git worktree add /tmp/before <commit> && (cd /tmp/before && npm ci)`.
const { simMonitor } = require('./sim-monitor.cjs');

const [beforeEntry, afterEntry, roundsArg, secondsArg, sizesArg] = process.argv.slice(2);
const builds = { before: require(beforeEntry), after: require(afterEntry) };

// Snapshots in ms since the vocabulary change (threadCpuMs, timeMs), in ns before it.
const cpuMs = (s) => s.threadCpuMs ?? s.threadCpuNs / 1e6;
const timeMs = (s) => s.timeMs ?? s.timeNs / 1e6;

async function measure(side, gib, seconds) {
  const m = simMonitor(builds[side], gib);
  const snapshots = [];
  m.on('aggregate', (s) => snapshots.push(s));
  m.start();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  await m.stop();
  const first = snapshots[0];
  const last = snapshots.at(-1);
  return (cpuMs(last) - cpuMs(first)) / (timeMs(last) - timeMs(first));
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const pct = (v) => `${(v * 100).toFixed(2)}%`;

(async () => {
  const rounds = Number(roundsArg);
  const seconds = Number(secondsArg);
  const sizes = sizesArg.split(',').map(Number);
  const rows = [];
  for (let round = 1; round <= rounds; round++) {
    for (const gib of sizes) {
      const row = { round, gib };
      for (const side of round % 2 ? ['before', 'after'] : ['after', 'before']) row[side] = await measure(side, gib, seconds);
      rows.push(row);
      console.log(`round ${round} ${gib} GiB: before ${pct(row.before)}  after ${pct(row.after)}  after/before ${(row.after / row.before).toFixed(2)}x`);
    }
  }
  for (const gib of sizes) {
    const r = rows.filter((x) => x.gib === gib);
    const b = r.map((x) => x.before);
    const a = r.map((x) => x.after);
    const q = r.map((x) => x.after / x.before);
    console.log(
      `${gib} GiB: before ${pct(median(b))} (${pct(Math.min(...b))}-${pct(Math.max(...b))}), after ${pct(median(a))} (${pct(Math.min(...a))}-${pct(Math.max(...a))}), after/before per round: median ${median(q).toFixed(2)}x (${Math.min(...q).toFixed(2)}-${Math.max(...q).toFixed(2)})`,
    );
  }
})();
