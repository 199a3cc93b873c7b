// An independent reading of /proc/<pid>/smaps for tests: the few lines of the mapping that
// contains an address, parsed here rather than by the code under test.
import { readFileSync } from 'node:fs';

export interface VmaFigures {
  start: bigint;
  end: bigint;
  rssBytes: number;
  anonHugeBytes: number;
  /** Pages whose Accessed bit (or referenced flag) is set, in bytes. */
  referencedBytes: number;
  /** VmFlags' two-letter codes ("uw": registered for userfaultfd write-protection). */
  vmFlags: string[];
}

export function vmaContaining(pid: number | 'self', address: bigint): VmaFigures {
  const text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  let current: VmaFigures | undefined;
  for (const line of text.split('\n')) {
    const header = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
    if (header) {
      if (current && current.start <= address && address < current.end) return current;
      current = { start: BigInt('0x' + header[1]), end: BigInt('0x' + header[2]), rssBytes: 0, anonHugeBytes: 0, referencedBytes: 0, vmFlags: [] };
      continue;
    }
    if (line.startsWith('VmFlags:') && current) current.vmFlags = line.slice('VmFlags:'.length).trim().split(/\s+/);
    const field = /^(Rss|AnonHugePages|Referenced):\s+(\d+) kB/.exec(line);
    if (field && current) {
      const bytes = Number(field[2]) * 1024;
      if (field[1] === 'Rss') current.rssBytes = bytes;
      else if (field[1] === 'Referenced') current.referencedBytes = bytes;
      else current.anonHugeBytes = bytes;
    }
  }
  if (current && current.start <= address && address < current.end) return current;
  throw new Error(`no mapping of pid ${pid} contains 0x${address.toString(16)}`);
}

/** A `bytes`-long, `align`-aligned range of this process that no mapping touches (read from /proc/self/maps). */
export function unmappedRange(bytes: number, align = 2 * 1024 * 1024): { address: bigint; length: number } {
  const size = BigInt(bytes);
  const alignment = BigInt(align);
  let previousEnd = 1n << 32n; // stay clear of a non-PIE executable and the low heap
  for (const line of readFileSync('/proc/self/maps', 'utf8').split('\n')) {
    const header = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
    if (!header) continue;
    const start = BigInt('0x' + header[1]);
    const candidate = ((previousEnd + alignment - 1n) / alignment) * alignment + alignment; // keep a guard unit
    if (candidate + size + alignment <= start) return { address: candidate, length: bytes };
    if (BigInt('0x' + header[2]) > previousEnd) previousEnd = BigInt('0x' + header[2]);
  }
  throw new Error('no unmapped range found');
}
