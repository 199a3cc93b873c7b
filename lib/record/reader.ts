// readRecording(): a recording file (docs/recording-format.md) back as typed data, gzip or
// not, with every line checked against the file's shape (file-lines.ts) and then given in the
// API's vocabulary (format.ts: bigint addresses, ms), as a live monitor's snapshots are; a
// version newer than this reader is refused with a message saying so.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { FormatError, InvalidArgumentError } from '../errors.js';
import { fromFile, type FileHeader, type FileLine } from './file-lines.js';
import { RECORDING_FORMAT, RECORDING_VERSION, type EndLine, type RatesLine, type RecordingHeader, type ResidencyLine, type SnapshotLine, type TargetsLine } from './format.js';

/** A snapshot with the targets it was taken on and the latest residency read before it (null before the first). */
export interface RecordedSnapshot extends Omit<SnapshotLine, 'type'> {
  targets: TargetsLine['ranges'];
  residency: ResidencyLine['units'] | null;
}

export interface Recording {
  header: RecordingHeader;
  targets: TargetsLine[];
  snapshots: RecordedSnapshot[];
  residency: ResidencyLine[];
  /** The referenced source's rate probe (version 2; none in older recordings and with other sources). */
  rates: RatesLine[];
  /** The end line; null when the recorder was killed before it could write one. */
  end: EndLine | null;
}

const SOURCE = 'thp-autotune recording';

/** A parsed line before its fields are checked. */
interface LooseLine {
  [key: string]: unknown;
  format?: unknown;
  version?: unknown;
  type?: unknown;
  timeNs?: unknown;
  ranges?: unknown;
  maxNrAccesses?: unknown;
  regions?: unknown;
  units?: unknown;
  windowUs?: unknown;
  samples?: unknown;
}

function isObject(v: unknown): v is LooseLine {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A tuple of `length` finite numbers, those at `addresses` whole and non-negative (they become bigints). */
function isNumberTuple(v: unknown, length: number, addresses: readonly number[]): boolean {
  return Array.isArray(v) && v.length === length && v.every((x, i) => typeof x === 'number' && Number.isFinite(x) && (!addresses.includes(i) || (Number.isSafeInteger(x) && x >= 0)));
}

function checkHeader(v: unknown, path: string): FileHeader {
  if (!isObject(v) || v.format !== RECORDING_FORMAT) throw new FormatError(SOURCE, `${path} is not a thp-autotune recording (its first line names no "${RECORDING_FORMAT}" format)`);
  const version = v.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    throw new FormatError(SOURCE, `${path}: the header's version must be a positive integer; found ${JSON.stringify(version)}`);
  if (version > RECORDING_VERSION) {
    throw new FormatError(SOURCE, `${path} is format version ${version}, newer than this thp-autotune reads (up to ${RECORDING_VERSION}): upgrade thp-autotune to read it`);
  }
  for (const key of ['pid', 'attributes', 'host', 'source', 'signal'] as const) {
    if (v[key] === undefined) throw new FormatError(SOURCE, `${path}: the header lacks "${key}"`);
  }
  return v as unknown as FileHeader;
}

function checkLine(v: unknown, where: string): FileLine {
  if (!isObject(v) || typeof v.timeNs !== 'number') throw new FormatError(SOURCE, `${where}: expected an object with a numeric timeNs`);
  switch (v.type) {
    case 'targets':
      if (!Array.isArray(v.ranges) || !v.ranges.every((r) => isNumberTuple(r, 2, [0, 1]))) throw new FormatError(SOURCE, `${where}: targets.ranges must be [start, end] pairs`);
      return v as unknown as FileLine;
    case 'snapshot':
      if (typeof v.maxNrAccesses !== 'number' || !Array.isArray(v.regions) || !v.regions.every((r) => isNumberTuple(r, 4, [0, 1]))) {
        throw new FormatError(SOURCE, `${where}: a snapshot needs maxNrAccesses and regions as [start, end, nrAccesses, age]`);
      }
      return v as unknown as FileLine;
    case 'residency':
      if (!Array.isArray(v.units) || !v.units.every((u) => isNumberTuple(u, 4, [0]))) throw new FormatError(SOURCE, `${where}: residency.units must be [address, units, residentPages, huge]`);
      for (const key of ['cpuNs', 'monitorCpuNs'] as const) {
        const ns = v[key];
        if (ns !== undefined && !(typeof ns === 'number' && Number.isFinite(ns) && ns >= 0)) throw new FormatError(SOURCE, `${where}: residency.${key} must be a number of ns, 0 or more`);
      }
      return v as unknown as FileLine;
    case 'rates':
      if (typeof v.windowUs !== 'number' || !Array.isArray(v.samples) || !v.samples.every((s) => isNumberTuple(s, 6, [0, 1]))) {
        throw new FormatError(SOURCE, `${where}: a rates line needs windowUs and samples as [start, end, residentBytes, referencedBytes, windowNs, accessBitNs]`);
      }
      return v as unknown as FileLine;
    case 'end':
      return v as unknown as FileLine;
    default:
      throw new FormatError(SOURCE, `${where}: unknown line type ${JSON.stringify(v.type)}`);
  }
}

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** Reads a recording written by `Recorder` (or `thp-autotune record`), plain or gzip-compressed. */
export async function readRecording(path: string): Promise<Recording> {
  if (typeof path !== 'string' || path === '') throw new InvalidArgumentError('path', 'the path of a recording file', path);
  let gzip: boolean;
  try {
    gzip = await isGzip(path);
  } catch (e) {
    throw new InvalidArgumentError('recording file', `a readable file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, path);
  }
  const raw = createReadStream(path);
  const lines = createInterface({ input: gzip ? raw.pipe(createGunzip()) : raw, crlfDelay: Infinity });
  let header: RecordingHeader | null = null;
  const recording: Omit<Recording, 'header'> = { targets: [], snapshots: [], residency: [], rates: [], end: null };
  let n = 0;
  try {
    for await (const text of lines) {
      n += 1;
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new FormatError(SOURCE, `${path} line ${n} is not JSON: ${text.slice(0, 60)}`);
      }
      if (header === null) {
        header = fromFile(checkHeader(value, path));
        continue;
      }
      if (recording.end) throw new FormatError(SOURCE, `${path} line ${n}: data after the end line`);
      const line = fromFile(checkLine(value, `${path} line ${n}`));
      if (line.type === 'targets') recording.targets.push(line);
      else if (line.type === 'residency') recording.residency.push(line);
      else if (line.type === 'rates') recording.rates.push(line);
      else if (line.type === 'end') recording.end = line;
      else {
        const { type: _type, ...snapshot } = line;
        recording.snapshots.push({ ...snapshot, targets: recording.targets.at(-1)?.ranges ?? [], residency: recording.residency.at(-1)?.units ?? null });
      }
    }
  } catch (e) {
    if (e instanceof FormatError) throw e;
    throw new FormatError(SOURCE, `${path} cannot be read: ${(e as Error).message}`);
  } finally {
    raw.destroy();
  }
  if (header === null) throw new FormatError(SOURCE, `${path} is empty`);
  return { header, ...recording };
}
