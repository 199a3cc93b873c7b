// One sim-source monitor over <GiB> simulated GiB (1000 regions, 5 ms / 100 ms, no workload:
// sampling work only), from a build's dist entry: before the sources restructure (c6b5b86) a
// source was an options object, after it a SimulatedSource; both APIs are recognised.
//   node sim-monitor.cjs <dist/index.cjs> <GiB> step <samples>     (stepped on this thread)
//   node sim-monitor.cjs <dist/index.cjs> <GiB> run <seconds>      (the monitor's own thread)
// callgrind.sh counts the instructions of either under valgrind; ab-one-process.cjs times both
// builds in one process.
const attrs = { sampleInterval: '5ms', aggregationInterval: '100ms', minRegions: 1000, maxRegions: 1000 };
const idle = { accessesPer5ms: 0 };

/** A monitor on a fresh sim source of `gib` GiB, in whichever API the build `lib` has. */
function simMonitor(lib, gib) {
  const start = 0x7f00_0000_0000;
  const mappings = [{ start, end: start + gib * 2 ** 30 }];
  const targets = [{ ranges: mappings }];
  if (lib.SimulatedSource) return new lib.AccessMonitor({ monitoring: attrs, targets, source: new lib.SimulatedSource({ mappings, workload: idle }) });
  return new lib.AccessMonitor({ ...attrs, targets, source: { kind: 'sim', mappings, workload: idle } });
}
module.exports = { simMonitor };

if (require.main === module) {
  const [entry, gib, mode, count] = process.argv.slice(2);
  (async () => {
    const m = simMonitor(require(entry), Number(gib));
    let snapshots;
    if (mode === 'step') {
      snapshots = m.step(Number(count));
    } else {
      snapshots = [];
      m.on('aggregate', (s) => snapshots.push(s));
      m.start();
      await new Promise((r) => setTimeout(r, Number(count) * 1000));
      await m.stop();
    }
    console.log(`${snapshots.length} aggregations, ${snapshots.at(-1).regions.length} regions`);
  })();
}
