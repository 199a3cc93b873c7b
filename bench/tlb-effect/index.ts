// TLB effect on real memory: random 8-byte reads over buffers kept on 4 KiB pages versus the
// same size collapsed into 2 MiB pages, measured in one run with the two configurations
// interleaved round by round (this VM drifts by 20% or more between runs, so only ratios
// inside one run are compared).
//
//   npx vite-node bench/tlb-effect/index.ts [--sizes 1,4] [--rounds 5] [--accesses 20000000]
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { collapseSegments, populateSmallPages, timeRandomReads, type CollapseTotals } from '../../lib/workloads/index.js';
import { median, spread } from '../common/stats.js';
import { formatTable } from '../common/table.js';

const GiB = 2 ** 30;
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1,4' },
    rounds: { type: 'string', default: '5' },
    accesses: { type: 'string', default: '20000000' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const rounds = Number(values.rounds);
const accesses = Number(values.accesses);

async function prepare(bytes: number, huge: boolean): Promise<{ segments: ArrayBuffer[]; report?: CollapseTotals; populateMs: number }> {
  const started = performance.now();
  const segments = await populateSmallPages(bytes);
  const populateMs = performance.now() - started;
  if (!huge) return { segments, populateMs };
  return { segments, report: await collapseSegments(segments), populateMs };
}

const rows: string[][] = [];
const results: unknown[] = [];
for (const size of sizes) {
  const bytes = size * GiB;
  const small = await prepare(bytes, false);
  const huge = await prepare(bytes, true);
  const smallNs: number[] = [];
  const hugeNs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternate which goes first so a drift inside the round hits both equally.
    const order = round % 2 === 0 ? ([small, huge] as const) : ([huge, small] as const);
    for (const config of order) {
      const { nsPerAccess } = timeRandomReads(config.segments, { accesses, seed: 1 + round });
      (config === small ? smallNs : hugeNs).push(nsPerAccess);
    }
  }
  const ratio = median(smallNs) / median(hugeNs);
  const collapsedGiB = (huge.report?.collapsedBytes ?? 0) / GiB;
  rows.push([
    `${size} GiB`,
    `${median(smallNs).toFixed(1)} ±${spread(smallNs).toFixed(1)}`,
    `${median(hugeNs).toFixed(1)} ±${spread(hugeNs).toFixed(1)}`,
    `${ratio.toFixed(2)}x`,
    `${collapsedGiB.toFixed(2)} GiB in ${((huge.report?.elapsedMs ?? 0) / 1000).toFixed(2)} s`,
  ]);
  results.push({
    sizeGiB: size,
    smallNs,
    hugeNs,
    ratio,
    collapsedBytes: huge.report?.collapsedBytes,
    collapseMs: huge.report?.elapsedMs,
    populateMs: { small: small.populateMs, huge: huge.populateMs },
  });
}

const table = formatTable(['buffer', '4 KiB ns/access', '2 MiB ns/access', 'speedup', 'collapsed'], rows);
const header = `random 8-byte reads (JS loop, ${accesses} per round, ${rounds} interleaved rounds; median ±(max-min)/2)`;
console.log(header + '\n' + table);
const outDir = path.resolve(__dirname, '../results');
mkdirSync(outDir, { recursive: true });
const stamp = new Date().toISOString().slice(0, 10);
writeFileSync(path.join(outDir, `tlb-effect-${stamp}.txt`), header + '\n' + table + '\n');
writeFileSync(path.join(outDir, `tlb-effect-${stamp}.json`), JSON.stringify({ accesses, rounds, results }, null, 2) + '\n');
