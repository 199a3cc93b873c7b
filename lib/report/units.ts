// Per 2 MiB unit of a recorded snapshot: the access rate of the region holding the unit's
// middle (each unit judged by exactly one region, as the tuner does) and the kernel's view of
// the unit (resident pages, PMD-mapped) from the latest residency read. Unit arithmetic runs on
// numbers: user-space addresses stay below 2^48, exact in a double.
import type { RecordedSnapshot } from '../record/reader.js';

export const UNIT_BYTES = 2 ** 21;

export interface UnitView {
  address: number;
  /** nrAccesses / maxNrAccesses of the region holding the unit's middle (0 outside every region). */
  rate: number;
  /** Resident 4 KiB pages and PMD mapping; null without a residency read. */
  residentPages: number | null;
  huge: boolean;
}

/** Access rate of a region, 0..1. */
export function regionRate(snapshot: { maxNrAccesses: number }, nrAccesses: number): number {
  return snapshot.maxNrAccesses > 0 ? Math.min(1, nrAccesses / snapshot.maxNrAccesses) : 0;
}

/** Every whole unit of the snapshot's targets, in address order. */
export function unitViews(snapshot: RecordedSnapshot): UnitView[] {
  const residency = new Map<number, [number, boolean]>();
  for (const [address, count, pages, huge] of snapshot.residency ?? []) {
    for (let i = 0; i < count; i++) residency.set(Number(address) + i * UNIT_BYTES, [pages, huge === 1]);
  }
  const out: UnitView[] = [];
  const regions = snapshot.regions;
  let r = 0;
  for (const [start, end] of snapshot.targets) {
    for (let a = Math.ceil(Number(start) / UNIT_BYTES) * UNIT_BYTES; a + UNIT_BYTES <= Number(end); a += UNIT_BYTES) {
      const middle = a + UNIT_BYTES / 2;
      while (r < regions.length && Number(regions[r]![1]) <= middle) r++;
      const region = regions[r];
      const rate = region && Number(region[0]) <= middle ? regionRate(snapshot, region[2]) : 0;
      const known = residency.get(a);
      out.push({ address: a, rate, residentPages: known ? known[0] : snapshot.residency ? 0 : null, huge: known ? known[1] : false });
    }
  }
  return out;
}
