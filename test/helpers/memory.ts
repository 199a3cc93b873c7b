// Filling and checking test buffers, and whether this kernel can collapse at all.
import { allocAligned, collapse, madvise, type CollapseOptions, type CollapseReport, type MemoryRange } from '../../lib/memory/index.js';

/** Fills every byte with a seeded pseudo-random pattern (so zero-filled pages would show). */
export function fillPattern(buffer: ArrayBuffer, seed = 1): void {
  const words = new Uint32Array(buffer);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
}

/** A 32-bit FNV-1a-style checksum over 32-bit words, enough to notice any changed page. */
export function checksum(buffer: ArrayBuffer): number {
  const words = new Uint32Array(buffer);
  let hash = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) hash = Math.imul(hash ^ words[i]!, 0x01000193) >>> 0;
  return hash;
}

/**
 * madvise(MADV_COLLAPSE) over `range`, asked again (up to 10 times, 20 ms apart) while it fails
 * with EAGAIN: a transient condition on a busy machine, which the kernel invites callers to retry.
 */
export async function adviseCollapse(range: MemoryRange): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await madvise(range, 'collapse');
    } catch (error) {
      if ((error as { errno?: string }).errno !== 'EAGAIN' || attempt === 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/**
 * collapse(), then again while units still fail transiently (EAGAIN, at most 20 more calls,
 * 50 ms apart), as the outcome invites a caller to do. Returns every call's report.
 */
export async function collapseSettled(range: MemoryRange, options: CollapseOptions = {}): Promise<CollapseReport[]> {
  const reports = [await collapse(range, options)];
  while (reports.at(-1)!.outcomes.EAGAIN > 0 && reports.length <= 20) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    reports.push(await collapse(range, options));
  }
  return reports;
}

/** Units that are huge pages after the last report. */
export const hugeUnits = (reports: CollapseReport[]) => reports.at(-1)!.outcomes.collapsed + reports.at(-1)!.outcomes['already-huge'];

/** Null when MADV_COLLAPSE works on a fresh 2 MiB unit here, else the reason it does not. */
export async function collapseUnavailable(): Promise<string | null> {
  if (process.platform !== 'linux') return `MADV_COLLAPSE needs Linux; this is ${process.platform}`;
  const probe = allocAligned(2 * 1024 * 1024);
  new Uint8Array(probe)[0] = 1;
  try {
    await adviseCollapse(probe);
    return null;
  } catch (error) {
    return `MADV_COLLAPSE failed here: ${(error as Error).message}`;
  }
}
