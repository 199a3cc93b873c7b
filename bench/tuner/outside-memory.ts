// Memory of this process outside a workload's buffers: what its own machinery (V8's heap,
// malloc arenas, the tuner) keeps resident and on huge pages, which the workload's figures
// do not show. Shared by the tuner benchmark's child and own-memory.ts.
import { addressOf } from '../../lib/memory/index.js';
import { readSmaps } from '../../lib/procfs/index.js';

export async function memoryOutside(buffers: readonly ArrayBuffer[]): Promise<{ rssBytes: number; anonHugeBytes: number }> {
  const ranges = buffers.map((b) => ({ start: addressOf(b), end: addressOf(b) + BigInt(b.byteLength) }));
  const outside = (await readSmaps()).filter((v) => !ranges.some((b) => v.start < b.end && v.end > b.start));
  return { rssBytes: outside.reduce((n, v) => n + v.rss, 0), anonHugeBytes: outside.reduce((n, v) => n + v.anonHugePages, 0) };
}
