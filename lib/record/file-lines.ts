// The recording file's lines (docs/recording-format.md, version 2) and their conversion to and
// from the API's (./format.ts). The file keeps what version 1 wrote: addresses as JSON numbers
// (exact below 2^53; user-space addresses stay below 2^48), times in ns and intervals in us.
// The API speaks bigint addresses and ms (docs/conventions.md). The two differ only in the
// fields listed below, so one table drives both directions and no field can be converted one
// way and forgotten the other.
import type { EndLine, RatesLine, RecordingHeader, RecordingLine, ResidencyLine, SnapshotLine, TargetsLine } from './format.js';

type Renamed<T, From extends string, To extends string> = Omit<T, From> & Record<To, number>;

export interface FileHeader extends Omit<RecordingHeader, 'attributes'> {
  attributes: { sampleIntervalUs: number; aggregationIntervalUs: number; minRegions: number; maxRegions: number };
}
export interface FileTargetsLine extends Renamed<Omit<TargetsLine, 'ranges'>, 'timeMs', 'timeNs'> {
  ranges: [number, number][];
}
export interface FileSnapshotLine extends Renamed<
  Renamed<Renamed<Omit<SnapshotLine, 'regions'>, 'timeMs', 'timeNs'>, 'sampleIntervalMs', 'sampleIntervalUs'>,
  'aggregationIntervalMs',
  'aggregationIntervalUs'
> {
  regions: [number, number, number, number][];
}
export interface FileResidencyLine extends Renamed<Omit<ResidencyLine, 'units' | 'cpuMs' | 'monitorCpuMs'>, 'timeMs', 'timeNs'> {
  units: [number, number, number, 0 | 1][];
  cpuNs?: number;
  monitorCpuNs?: number;
}
export interface FileRatesLine extends Renamed<Renamed<Omit<RatesLine, 'samples'>, 'timeMs', 'timeNs'>, 'windowMs', 'windowUs'> {
  /** [start, end, residentBytes, referencedBytes, windowNs, accessBitNs] */
  samples: [number, number, number, number, number, number][];
}
export type FileEndLine = Renamed<EndLine, 'timeMs', 'timeNs'>;
export type FileLine = FileTargetsLine | FileSnapshotLine | FileResidencyLine | FileRatesLine | FileEndLine;

/** Durations: the file's field, the API's, and the file's units per millisecond. */
const DURATIONS: readonly (readonly [file: string, api: string, perMs: number])[] = [
  ['timeNs', 'timeMs', 1e6],
  ['sampleIntervalUs', 'sampleIntervalMs', 1e3],
  ['aggregationIntervalUs', 'aggregationIntervalMs', 1e3],
  ['cpuNs', 'cpuMs', 1e6],
  ['monitorCpuNs', 'monitorCpuMs', 1e6],
  ['windowUs', 'windowMs', 1e3],
];

/** Arrays of tuples: the positions that hold addresses, and those that hold durations (the file's units per millisecond; the same name in both). */
const TUPLES: Readonly<Record<string, { addresses: readonly number[]; durations?: Readonly<Record<number, number>> }>> = {
  ranges: { addresses: [0, 1] },
  regions: { addresses: [0, 1] },
  units: { addresses: [0] },
  samples: { addresses: [0, 1], durations: { 4: 1e6 } },
};

function convertTupleItem(x: unknown, i: number, tuple: (typeof TUPLES)[string], toApi: boolean): unknown {
  if (tuple.addresses.includes(i)) return toApi ? BigInt(x as number) : Number(x as bigint);
  const perMs = tuple.durations?.[i];
  if (perMs !== undefined) return toApi ? (x as number) / perMs : Math.round((x as number) * perMs);
  return x;
}

type Direction = 'to-api' | 'to-file';

function convert(value: Record<string, unknown>, direction: Direction): Record<string, unknown> {
  const toApi = direction === 'to-api';
  return Object.fromEntries(
    Object.entries(value).map(([key, v]): [string, unknown] => {
      const duration = DURATIONS.find(([file, api]) => key === (toApi ? file : api));
      // Rounding back to whole ns and us restores what the file held: the monitor counts in those.
      if (duration) return toApi ? [duration[1], (v as number) / duration[2]] : [duration[0], Math.round((v as number) * duration[2])];
      const tuple = TUPLES[key];
      if (tuple && Array.isArray(v)) return [key, v.map((items: unknown[]) => items.map((x, i) => convertTupleItem(x, i, tuple, toApi)))];
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) return [key, convert(v as Record<string, unknown>, direction)];
      return [key, v];
    }),
  );
}

/** An API line as the file holds it. */
export function toFile(line: RecordingHeader): FileHeader;
export function toFile(line: RecordingLine): FileLine;
export function toFile(line: RecordingHeader | RecordingLine): FileHeader | FileLine;
export function toFile(line: RecordingHeader | RecordingLine): FileHeader | FileLine {
  return convert(line as unknown as Record<string, unknown>, 'to-file') as unknown as FileHeader | FileLine;
}

/** A file line (its shape already checked) as the API returns it. */
export function fromFile(line: FileHeader): RecordingHeader;
export function fromFile(line: FileLine): RecordingLine;
export function fromFile(line: FileHeader | FileLine): RecordingHeader | RecordingLine {
  return convert(line as unknown as Record<string, unknown>, 'to-api') as unknown as RecordingHeader | RecordingLine;
}
