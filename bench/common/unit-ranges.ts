// The 2 MiB units a workload's hot data occupies, as merged address ranges: what a workload's
// hotRanges() reports when its hot items are scattered over many allocations (one Buffer per
// cache value, a run of positions in a typed array) instead of lying in one known range.
const UNIT = 2 * 1024 * 1024;

export class UnitSet {
  readonly #units = new Set<number>();

  /** Marks the units that bytes [address, address + length) touch. */
  add(address: bigint | number, length: number): void {
    // User-space addresses are below 2^47, so they are exact as numbers.
    const start = Number(address);
    for (let u = Math.floor(start / UNIT); u <= Math.floor((start + length - 1) / UNIT); u++) this.#units.add(u);
  }

  /** The marked units, adjacent ones merged, in address order. */
  ranges(): { address: bigint; length: number }[] {
    const sorted = [...this.#units].sort((a, b) => a - b);
    const out: { address: bigint; length: number }[] = [];
    let first = sorted[0];
    for (let i = 0; i < sorted.length; i++) {
      const unit = sorted[i]!;
      if (sorted[i + 1] !== unit + 1) {
        out.push({ address: BigInt(first! * UNIT), length: (unit - first! + 1) * UNIT });
        first = sorted[i + 1];
      }
    }
    return out;
  }
}
