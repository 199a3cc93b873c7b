// /proc/<pid>/smaps (per VMA) and /proc/<pid>/smaps_rollup (summed over the process).
import type { KeyFields, NativeSmapsRollup, NativeSmapsVma } from './native.js';
import { parseNative, readNative, requireText } from './read.js';
import { describeVma } from './maps.js';
import { nativePid, type ProcessTarget } from './target.js';

/** The sizes every THP question starts from, in bytes (0 when the kernel did not print them). */
export interface AnonymousSizes {
  /** Rss: resident memory. */
  rss: number;
  /** Anonymous: resident anonymous memory, including the part on huge pages. */
  anonymous: number;
  /** AnonHugePages: anonymous memory mapped by PMD-sized transparent huge pages. */
  anonHugePages: number;
}

export interface SmapsVma extends NativeSmapsVma, AnonymousSizes {
  deleted: boolean;
}

export interface SmapsRollup extends NativeSmapsRollup, AnonymousSizes {}

function anonymousSizes(fields: KeyFields): AnonymousSizes {
  return {
    rss: fields.bytes['Rss'] ?? 0,
    anonymous: fields.bytes['Anonymous'] ?? 0,
    anonHugePages: fields.bytes['AnonHugePages'] ?? 0,
  };
}

const describeSmapsVma = (vma: NativeSmapsVma): SmapsVma => ({ ...describeVma(vma), ...anonymousSizes(vma) });
const describeRollup = (rollup: NativeSmapsRollup): SmapsRollup => ({ ...rollup, ...anonymousSizes(rollup) });

/** Parses the text of a /proc/<pid>/smaps file: every key of every VMA. */
export function parseSmaps(text: string): SmapsVma[] {
  requireText(text);
  return parseNative('/proc/<pid>/smaps', (procfs) => procfs.parseSmaps(text)).map(describeSmapsVma);
}

/** Reads /proc/<pid>/smaps of a process (default: this one), off the JS thread. */
export async function readSmaps(pid?: ProcessTarget): Promise<SmapsVma[]> {
  const target = nativePid(pid);
  const vmas = await readNative('/proc/<pid>/smaps', target, (procfs) => procfs.readSmaps(target));
  return vmas.map(describeSmapsVma);
}

/** Parses the text of a /proc/<pid>/smaps_rollup file. */
export function parseSmapsRollup(text: string): SmapsRollup {
  requireText(text);
  return describeRollup(parseNative('/proc/<pid>/smaps_rollup', (procfs) => procfs.parseSmapsRollup(text)));
}

/** Reads /proc/<pid>/smaps_rollup of a process (default: this one), off the JS thread. */
export async function readSmapsRollup(pid?: ProcessTarget): Promise<SmapsRollup> {
  const target = nativePid(pid);
  return describeRollup(await readNative('/proc/<pid>/smaps_rollup', target, (procfs) => procfs.readSmapsRollup(target)));
}
