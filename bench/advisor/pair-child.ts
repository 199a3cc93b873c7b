// Measures the tuner benchmark's loop (bench/tuner/workload.ts) over a hot set on 4 KiB pages
// and over one of the same size on 2 MiB pages, in one process, in alternating slices (ABBA)
// timed on the process's CPU clock. On a shared, loaded machine a run of one configuration
// after the other in separate processes differs by 25 % between runs of the same
// configuration (other tenants' builds take the CPU, caches and memory bandwidth at random);
// adjacent slices in one process see the same conditions, and CPU time leaves out the time
// the process waited for a CPU. Prints one JSON line with every slice's ns per access.
//
//   npx vite-node bench/advisor/pair-child.ts -- <hotGiB> <seconds per access kind> <sliceMs> <write,read>
import { allocAligned, madvise, residency } from '../../lib/memory/index.js';
import { loopState, touchPages, work, type Access } from '../tuner/workload.js';

const [hotGiB, seconds, sliceMs, accessList] = process.argv.slice(2).filter((a) => a !== '--');
const bytes = Number(hotGiB) * 2 ** 30;

async function buffer(pages: 'nohugepage' | 'hugepage'): Promise<Uint32Array> {
  const b = allocAligned(bytes);
  await madvise(b, pages);
  await madvise(b, 'populate-write');
  touchPages(b);
  return new Uint32Array(b);
}

const small = await buffer('nohugepage');
const huge = await buffer('hugepage');
const hugeUnits = (await residency(huge.buffer as ArrayBuffer)).filter((u) => u.pmdMapped).length;
const st = loopState();

/** CPU ns per access of one slice. */
function slice(u32: Uint32Array, access: Access): number {
  const c0 = process.cpuUsage();
  const n = work(u32, Number(sliceMs), st, access);
  const c = process.cpuUsage(c0);
  return ((c.user + c.system) * 1000) / n;
}

const results: Record<string, { ns4k: number[]; ns2m: number[] }> = {};
for (const access of accessList!.split(',') as Access[]) {
  for (let i = 0; i < 10; i++) slice(i % 2 ? small : huge, access); // warm the JIT, TLBs and caches for this loop
  const r = { ns4k: [] as number[], ns2m: [] as number[] };
  const end = performance.now() + Number(seconds) * 1000;
  for (let k = 0; performance.now() < end; k++) {
    if (k % 2 === 0) {
      r.ns4k.push(slice(small, access));
      r.ns2m.push(slice(huge, access));
    } else {
      r.ns2m.push(slice(huge, access));
      r.ns4k.push(slice(small, access));
    }
  }
  results[access] = r;
}
process.stdout.write(`${JSON.stringify({ hotGiB: Number(hotGiB), hugeShare: hugeUnits / (bytes / 2 ** 21), results, sum: st.sum })}\n`);
