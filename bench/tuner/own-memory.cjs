// The tuner's own memory: RSS outside the workload's buffer and the JS heap of a process whose
// 1 GiB buffer is written at random for a while, with no tuner or a tuner on either source.
// What the tuner adds there is bloat it causes itself (bench/results/referenced-window-evidence-2026-12-05.md).
//
//   npm run build:ts && node bench/tuner/own-memory.cjs <collapse|stat> <referenced|pagemap|none> [seconds=30] [opsUpdateInterval=2s]
'use strict';
const os = require('node:os');
const fs = require('node:fs');
const path = require('node:path');
const thp = require(path.resolve(__dirname, '../../dist/index.js'));

const [action = 'stat', source = 'referenced', seconds = '30', opsUpdateInterval = '2s'] = process.argv.slice(2);

async function main() {
  const buffer = thp.allocAligned(1024 * 2 ** 20);
  const u32 = new Uint32Array(buffer);
  u32.fill(1);
  const tuner =
    source === 'none'
      ? null
      : new thp.HugepageTuner({ source, monitoring: { opsUpdateInterval }, schemes: [{ action, pattern: { accessRate: { min: '5%' } }, quota: { time: '500ms', size: '4G', goals: [] } }] });
  tuner?.start();
  let x = 1;
  const t0 = Date.now();
  while (Date.now() - t0 < Number(seconds) * 1000) {
    const end = performance.now() + 5;
    while (performance.now() < end) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      u32[x % u32.length] = x;
    }
    await new Promise((r) => setImmediate(r));
  }
  const units = tuner?.stats().schemes[0].stats.units;
  await tuner?.stop();
  const base = thp.addressOf(buffer);
  const top = base + BigInt(buffer.byteLength);
  let rss = 0;
  let huge = 0;
  let outside = false;
  for (const line of fs.readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const header = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
    if (header) {
      outside = !(BigInt(`0x${header[1]}`) < top && BigInt(`0x${header[2]}`) > base);
      continue;
    }
    if (!outside) continue;
    const r = /^Rss:\s+(\d+)/.exec(line);
    if (r) rss += Number(r[1]);
    const h = /^AnonHugePages:\s+(\d+)/.exec(line);
    if (h) huge += Number(h[1]);
  }
  const heap = process.memoryUsage().heapTotal / 2 ** 20;
  console.log(`CPU: ${os.cpus()[0]?.model ?? 'unknown'}; kernel ${os.release()}`);
  console.log(
    `${action} ${source} (ops update ${opsUpdateInterval}, ${seconds} s): RSS outside the buffer ${(rss / 1024).toFixed(1)} MiB, AnonHugePages outside ${(huge / 1024).toFixed(1)} MiB, ` +
      `JS heap ${heap.toFixed(1)} MiB${units ? `, units collapsed ${units.collapsed}` : ''}`,
  );
}

main();
