// The heatmap's data: address on one axis (the monitored ranges side by side, gaps between
// them left out), time on the other, each cell the byte-weighted access rate of the regions
// over it, averaged over the snapshots of its row, and the share of its 2 MiB units the
// kernel mapped with a PMD (huge pages) at the latest residency read of the row. The axis
// arithmetic runs on numbers (user-space addresses stay below 2^48, exact in a double); the
// grid gives its segments' addresses as bigints, as every output address is.
import { InvalidArgumentError } from '../errors.js';
import type { Recording } from '../record/reader.js';
import { regionRate, UNIT_BYTES } from './units.js';

export interface HeatCell {
  /** Access rate 0..1. */
  rate: number;
  /** Share of the cell's bytes on huge pages, 0..1 (0 without residency reads). */
  huge: number;
}

export interface HeatGrid {
  columns: number;
  rows: number;
  /** The monitored ranges in axis order: [start, end) and where each begins on the axis (bytes). */
  segments: { start: bigint; end: bigint; offset: number }[];
  axisBytes: number;
  /** Time span of each row (ms since the recording started). */
  times: { startMs: number; endMs: number }[];
  /** cells[row][column]. */
  cells: HeatCell[][];
}

/** A monitored range on the axis. */
interface AxisSegment {
  start: number;
  end: number;
  offset: number;
}

function mergedTargets(recording: Recording): [number, number][] {
  const all = recording.targets.flatMap((t) => t.ranges.map(([s, e]): [number, number] => [Number(s), Number(e)])).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of all) {
    const last = out.at(-1);
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** Pieces of [start, end) on the axis: [axisStart, axisEnd) for each segment it overlaps. */
function toAxis(segments: readonly AxisSegment[], start: number, end: number, visit: (a: number, b: number) => void): void {
  for (const seg of segments) {
    const s = Math.max(start, seg.start);
    const e = Math.min(end, seg.end);
    if (e > s) visit(seg.offset + s - seg.start, seg.offset + e - seg.start);
  }
}

/** Adds `value` × overlap of [a, b) with each column into `sums` (column width `w`). */
function spread(sums: Float64Array, w: number, a: number, b: number, value: number): void {
  const first = Math.floor(a / w);
  const last = Math.min(sums.length - 1, Math.floor((b - 1) / w));
  for (let c = first; c <= last; c++) {
    const overlap = Math.min(b, (c + 1) * w) - Math.max(a, c * w);
    if (overlap > 0) sums[c] = (sums[c] ?? 0) + overlap * value;
  }
}

export function heatGrid(recording: Recording, options: { columns?: number; rows?: number } = {}): HeatGrid {
  const columns = options.columns ?? 80;
  const wantRows = options.rows ?? 20;
  if (!Number.isInteger(columns) || columns < 1 || columns > 4096) throw new InvalidArgumentError('--columns', 'an integer from 1 to 4096', columns);
  if (!Number.isInteger(wantRows) || wantRows < 1 || wantRows > 4096) throw new InvalidArgumentError('--rows', 'an integer from 1 to 4096', wantRows);
  let offset = 0;
  const segments = mergedTargets(recording).map(([start, end]): AxisSegment => {
    const seg = { start, end, offset };
    offset += end - start;
    return seg;
  });
  const axisBytes = offset;
  const snapshots = recording.snapshots;
  const rows = Math.max(1, Math.min(wantRows, snapshots.length));
  const w = Math.max(1, axisBytes / columns);
  const cells: HeatCell[][] = [];
  const times: HeatGrid['times'] = [];
  for (let row = 0; row < rows; row++) {
    const from = Math.floor((row * snapshots.length) / rows);
    const to = Math.floor(((row + 1) * snapshots.length) / rows);
    const rate = new Float64Array(columns);
    const huge = new Float64Array(columns);
    for (let i = from; i < to; i++) {
      const s = snapshots[i]!;
      for (const [start, end, nr] of s.regions) toAxis(segments, Number(start), Number(end), (a, b) => spread(rate, w, a, b, regionRate(s, nr) / (to - from)));
    }
    const last = snapshots[to - 1];
    for (const [address, count, , isHuge] of last?.residency ?? []) {
      if (isHuge === 1) toAxis(segments, Number(address), Number(address) + count * UNIT_BYTES, (a, b) => spread(huge, w, a, b, 1));
    }
    cells.push(Array.from(rate, (r, c) => ({ rate: Math.min(1, r / w), huge: Math.min(1, (huge[c] ?? 0) / w) })));
    times.push({ startMs: snapshots[from]?.timeMs ?? 0, endMs: last?.timeMs ?? 0 });
  }
  return {
    columns,
    rows: snapshots.length === 0 ? 0 : rows,
    segments: segments.map((seg) => ({ start: BigInt(seg.start), end: BigInt(seg.end), offset: seg.offset })),
    axisBytes,
    times: snapshots.length === 0 ? [] : times,
    cells: snapshots.length === 0 ? [] : cells,
  };
}
