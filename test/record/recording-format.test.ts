// The recording format: a real recording of this process written by Recorder and read back
// (plain and gzip), and every way a file can be wrong, each refused with a message saying how.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { addressOf, allocAligned, FormatError, InvalidArgumentError, readRecording, Recorder, RECORDING_VERSION } from '../../lib/index.js';
import { toFile } from '../../lib/record/file-lines.js';
import { sourceUnavailable } from '../helpers/sources.js';
import { syntheticRecording } from '../helpers/synthetic-recording.js';

const dir = mkdtempSync(path.join(tmpdir(), 'thp-recording-'));
// The default source (referenced) writes the plain file, pagemap the gzip one.
const missing = { referenced: sourceUnavailable('referenced'), pagemap: sourceUnavailable('pagemap') };
for (const [source, why] of Object.entries(missing)) if (why) console.log(`recording of real memory with the ${source} source skipped: ${why}`);
const roundTrips = [
  { name: 'plain.jsonl', source: undefined, header: { source: 'referenced', signal: 'access' }, missing: missing.referenced },
  { name: 'packed.jsonl.gz', source: 'pagemap' as const, header: { source: 'pagemap', signal: 'write' }, missing: missing.pagemap },
];

/** A version-1 file's header: the synthetic recording's, as the file spells it. */
const HEADER = toFile(syntheticRecording({ total: 4 * 2 ** 20, hot: 0, huge: 0 }).header);

function file(name: string, lines: unknown[]): string {
  const p = path.join(dir, name);
  writeFileSync(p, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return p;
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('recording round trip', () => {
  it.for(roundTrips)('a recording of this process reads back ($name, source $header.source)', async ({ name, source, header, missing: why }, ctx) => {
    if (why) ctx.skip();
    const buffer = allocAligned(32 * 2 ** 20);
    const bytes = new Uint8Array(buffer);
    bytes.fill(1);
    const writer = setInterval(() => {
      for (let i = 0; i < 8 * 2 ** 20; i += 4096) bytes[i]!++;
    }, 2);
    const out = path.join(dir, name);
    const recorder = new Recorder({ out, ...(source ? { source } : {}), monitoring: { sampleInterval: '5ms', aggregationInterval: '100ms' }, residencyInterval: '200ms' });
    await recorder.start();
    // Until some snapshots of the buffer exist (a busy machine only makes this slower).
    const start = addressOf(buffer);
    for (let waited = 0; waited < 30_000 && recorder.progress().snapshots < 5; waited += 100) await new Promise((r) => setTimeout(r, 100));
    const end = await recorder.stop();
    clearInterval(writer);
    expect(
      readFileSync(out)
        .subarray(0, 2)
        .equals(Buffer.from([0x1f, 0x8b])),
    ).toBe(name.endsWith('.gz'));
    const recording = await readRecording(out);
    expect(recording.header).toMatchObject({ format: 'thp-autotune-recording', version: RECORDING_VERSION, pid: process.pid, ...header });
    expect(recording.end).toEqual(end);
    expect(end.reason).toBe('stop');
    expect(recording.snapshots.length).toBe(end.snapshots);
    expect(recording.snapshots.length).toBeGreaterThanOrEqual(5);
    // The buffer is one of the targets, and every region lies in the targets of its snapshot.
    expect(recording.targets.at(-1)!.ranges.some(([s, e]) => s <= start && e >= start + BigInt(buffer.byteLength))).toBe(true);
    for (const s of recording.snapshots) {
      for (const [rs, re] of s.regions) expect(s.targets.some(([ts, te]) => ts <= rs && re <= te)).toBe(true);
      expect(s).toMatchObject({ sampleIntervalMs: 5, aggregationIntervalMs: 100 });
    }
    expect(recording.residency.length).toBeGreaterThan(0);
    expect(typeof recording.residency[0]!.units[0]![0]).toBe('bigint');
    // The file keeps version 1's vocabulary: JSON-number addresses, ns and us; the reader gives
    // the same values as bigints and ms.
    const raw = readFileSync(out);
    const lines = (name.endsWith('.gz') ? gunzipSync(raw) : raw)
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]!['attributes']).toMatchObject({ sampleIntervalUs: 5000, aggregationIntervalUs: 100_000 });
    const fileSnapshots = lines.filter((l) => l['type'] === 'snapshot') as { timeNs: number; sampleIntervalUs: number; regions: number[][] }[];
    expect(fileSnapshots.map((l) => [Math.round(l.timeNs / 1e3), l.sampleIntervalUs, l.regions])).toEqual(
      recording.snapshots.map((s) => [Math.round(s.timeMs * 1e3), s.sampleIntervalMs * 1000, s.regions.map(([rs, re, nr, age]) => [Number(rs), Number(re), nr, age])]),
    );
    expect(fileSnapshots.every((l) => Number.isInteger(l.timeNs))).toBe(true);
    bytes[0] = 0; // keeps the buffer alive until here
  });
});

describe('Recorder refuses a source it cannot use', () => {
  it.each([
    [{ source: 'damon' }, /source must be 'referenced' or 'pagemap'; received "damon"/],
    [{ pid: 1, source: 'pagemap' }, /source must be absent: another process is watched by the kernel's DAMON; received "pagemap"/],
  ])('%j', (options, message) => {
    const make = () => new Recorder(options as ConstructorParameters<typeof Recorder>[0]);
    expect(make).toThrow(InvalidArgumentError);
    expect(make).toThrow(message);
  });
});

describe('readRecording refuses what it cannot read', () => {
  it('a newer format version, saying to upgrade', async () => {
    const p = file('future.jsonl', [{ ...HEADER, version: RECORDING_VERSION + 1 }]);
    const error = await readRecording(p).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FormatError);
    expect((error as Error).message).toContain(`is format version ${RECORDING_VERSION + 1}, newer than this thp-autotune reads (up to ${RECORDING_VERSION}): upgrade thp-autotune`);
  });

  it('reads a minimal hand-written file, gzip-compressed or not', async () => {
    const lines = [
      HEADER,
      { type: 'targets', timeNs: 0, ranges: [[2097152, 6291456]] },
      { type: 'snapshot', timeNs: 1, aggregation: 1, sampleIntervalUs: 5000, aggregationIntervalUs: 100000, maxNrAccesses: 20, regions: [[2097152, 6291456, 3, 0]] },
      { type: 'end', timeNs: 2, snapshots: 1, reason: 'stop' },
    ];
    const plain = file('minimal.jsonl', lines);
    const packed = path.join(dir, 'minimal.bin');
    writeFileSync(packed, gzipSync(readFileSync(plain)));
    for (const p of [plain, packed]) {
      const r = await readRecording(p);
      expect(r.header.attributes).toEqual({ sampleIntervalMs: 5, aggregationIntervalMs: 100, minRegions: 10, maxRegions: 1000 });
      expect(r.snapshots).toEqual([
        { timeMs: 1e-6, aggregation: 1, sampleIntervalMs: 5, aggregationIntervalMs: 100, maxNrAccesses: 20, regions: [[2097152n, 6291456n, 3, 0]], targets: [[2097152n, 6291456n]], residency: null },
      ]);
      expect(r.end).toEqual({ type: 'end', timeMs: 2e-6, snapshots: 1, reason: 'stop' });
    }
  });

  it("reads the referenced source's rate-probe lines (version 2) in the API's units", async () => {
    const r = await readRecording(
      file('rates.jsonl', [
        { ...HEADER, version: 2, source: 'referenced', signal: 'access' },
        { type: 'rates', timeNs: 3_000_000, windowUs: 1_250_000, samples: [[2097152, 4194304, 2097152, 1048576, 12_500_000, 4800]] },
        { type: 'end', timeNs: 4_000_000, snapshots: 0, reason: 'stop' },
      ]),
    );
    expect(r.header).toMatchObject({ version: 2, source: 'referenced', signal: 'access' });
    expect(r.rates).toEqual([{ type: 'rates', timeMs: 3, windowMs: 1250, samples: [[2097152n, 4194304n, 2097152, 1048576, 12.5, 4800]] }]);
    // The writer's conversion is the reader's, reversed: the file's line comes back.
    expect(toFile(r.rates[0]!)).toEqual({ type: 'rates', timeNs: 3_000_000, windowUs: 1_250_000, samples: [[2097152, 4194304, 2097152, 1048576, 12_500_000, 4800]] });
  });

  it.each([
    ['a rates line without windowUs', [HEADER, { type: 'rates', timeNs: 0, samples: [] }], /line 2: a rates line needs windowUs and samples/],
    ['a rate sample of five fields', [HEADER, { type: 'rates', timeNs: 0, windowUs: 1, samples: [[0, 4096, 4096, 0, 1]] }], /line 2: a rates line needs windowUs and samples/],
    ['not a recording', [{ hello: 1 }], /is not a thp-autotune recording/],
    ['malformed JSON', [HEADER, '{"type": "snap'], /line 2 is not JSON/],
    ['an unknown line type', [HEADER, { type: 'mystery', timeNs: 0 }], /line 2: unknown line type "mystery"/],
    ['a snapshot without regions', [HEADER, { type: 'snapshot', timeNs: 0, maxNrAccesses: 20 }], /line 2: a snapshot needs maxNrAccesses and regions/],
    ['an address that is no whole number', [HEADER, { type: 'snapshot', timeNs: 0, maxNrAccesses: 20, regions: [[4096.5, 8192, 0, 0]] }], /line 2: a snapshot needs maxNrAccesses and regions/],
    ['a negative address', [HEADER, { type: 'targets', timeNs: 0, ranges: [[-4096, 8192]] }], /line 2: targets.ranges must be \[start, end\] pairs/],
    ['data after the end', [HEADER, { type: 'end', timeNs: 0, snapshots: 0, reason: 'stop' }, { type: 'targets', timeNs: 1, ranges: [] }], /line 3: data after the end line/],
    ['a bad version', [{ ...HEADER, version: 'one' }], /version must be a positive integer/],
  ])('%s', async (name, lines, message) => {
    const error = await readRecording(file(`${name}.jsonl`, lines)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FormatError);
    expect((error as Error).message).toMatch(message);
  });

  it('an empty file and a missing one', async () => {
    await expect(readRecording(file('empty.jsonl', []))).rejects.toThrow(/is empty|is not a thp-autotune recording/);
    const missing = await readRecording(path.join(dir, 'nope.jsonl')).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(InvalidArgumentError);
    expect((missing as Error).message).toMatch(/recording file must be a readable file \(ENOENT\)/);
  });
});
