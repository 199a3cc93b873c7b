// record, report, advise and monitor through the built binary: outputs, --json shapes, exit
// status and the message for each kind of bad argument.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessReport, capabilities, HugepageTuner, readRecording } from '../../lib/index.js';
import { pagemapUnavailable } from '../helpers/pagemap.js';
import { sourceUnavailable } from '../helpers/sources.js';
import { decodePng } from '../helpers/png.js';
import type { CliRun } from '../helpers/cli.js';
import { recordFixture, thp } from '../helpers/recording.js';

const dir = mkdtempSync(path.join(tmpdir(), 'thp-record-cli-'));
const recording = path.join(dir, 'app.jsonl.gz');
const fixture = path.resolve(__dirname, 'fixtures/hot-writer.cjs');
const pagemapMissing = pagemapUnavailable();
if (pagemapMissing) console.log(`record command runs skipped: ${pagemapMissing}`);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(pagemapMissing !== null)('on a real recording', () => {
  let run: CliRun;
  beforeAll(async () => {
    run = await recordFixture(recording);
  }, 120_000);

  it('record runs the script, shows progress and ends with a JSON summary', async () => {
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^collapsed \d+ MiB$/); // the script's own output
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ out: recording, type: 'end', reason: 'exit', snapshots: expect.any(Number), timeMs: expect.any(Number) });
    expect(run.stderr).toMatch(/^recording \d+\.\d s: \d+ snapshots, \d+ regions, accessed .* of .*, on huge pages .*$/m);
  });

  it('report access prints the heat line, percentiles with bars and the hottest regions', async () => {
    const r = await thp(['report', 'access', recording]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^heat: [0-9]{80} /m);
    expect(r.stdout).toMatch(/^50 +\d+\.\d % +\|[* ]{20}\|$/m);
    expect(r.stdout).toContain('hottest 10 regions');
    const json = JSON.parse((await thp(['report', 'access', recording, '--json', '--top', '3'])).stdout) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(['accessedBytes', 'heatLine', 'hottest', 'hugeBytes', 'monitoredBytes', 'percentiles', 'signal', 'snapshot']);
    expect(json['hottest']).toHaveLength(3);
    expect(json['monitoredBytes']).toBeGreaterThanOrEqual(128 * 2 ** 20);
    // Addresses (bigints in the API) as decimal strings, the same as accessReport() gives them.
    const hottest = (json['hottest'] as { start: unknown; end: unknown }[])[0]!;
    const api = accessReport(await readRecording(recording), { top: 3 }).hottest[0]!;
    expect([hottest.start, hottest.end]).toEqual([api.start.toString(), api.end.toString()]);
    expect(json['snapshot']).toMatchObject({ timeMs: expect.any(Number), sampleIntervalMs: 5, aggregationIntervalMs: 100 });
  });

  it('report wss and huge, as text and JSON', async () => {
    const wss = JSON.parse((await thp(['report', 'wss', recording, '--json'])).stdout) as { percentiles: { percentile: number; bytes: number }[]; series: unknown[] };
    expect(wss.percentiles.map((p) => p.percentile)).toEqual([0, 1, 25, 50, 75, 90, 99, 100]);
    // The fixture writes 16 MiB continuously.
    expect(wss.percentiles.find((p) => p.percentile === 50)!.bytes).toBeGreaterThanOrEqual(14 * 2 ** 20);
    const huge = JSON.parse((await thp(['report', 'huge', recording, '--json'])).stdout) as { rows: { hugeBytes: number }[] };
    // What the fixture collapsed (EAGAIN may leave a unit out on a busy machine), as the kernel saw it.
    const collapsedMiB = Number(/^collapsed (\d+) MiB$/m.exec(run.stdout)![1]);
    expect(collapsedMiB).toBeGreaterThan(0);
    expect(huge.rows.at(-1)!.hugeBytes).toBe(collapsedMiB * 2 ** 20);
    expect((await thp(['report', 'huge', recording])).stdout).toMatch(/hot on huge/);
    expect((await thp(['report', 'wss', recording])).stdout).toMatch(/^working-set size over \d+ snapshots/);
  });

  it('report heatmap writes an SVG and a PNG of its size, and a plain terminal heatmap when not a TTY', async () => {
    const svg = path.join(dir, 'heat.svg');
    const png = path.join(dir, 'heat.png');
    const r = await thp(['report', 'heatmap', recording, '--out', svg, '--png', png, '--columns', '100', '--rows', '30']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const text = readFileSync(svg, 'utf8');
    const [, width, height] = /<svg [^>]*width="(\d+)" height="(\d+)"/.exec(text)!;
    expect(text).toContain('class="huge"');
    const image = decodePng(readFileSync(png));
    expect([image.width, image.height]).toEqual([Number(width), Number(height)]);
    const terminal = await thp(['report', 'heatmap', recording, '--rows', '5']);
    const rows = terminal.stdout.split('\n').filter((l) => / s [0-9a-j]{80}$/.test(l));
    expect(rows).toHaveLength(5);
    expect(terminal.stdout).not.toContain('\x1b[');
    expect(terminal.stdout).toMatch(/[a-j]/); // the collapsed 16 MiB
  });

  it('advise predicts, counts memory and suggests a configuration the tuner accepts', async () => {
    const text = await thp(['advise', recording, '--accesses', '200000'], 120_000);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^(worth it|not worth it): predicted gain -?\d+\.\d % /m);
    expect(text.stdout).toContain('# suggested tuner.yaml');
    expect(text.stdout).toMatch(/^time model: ns per access = \d+\.\d+ \(from the recording: .* CPU = .* ns each, less their translation\) \+ translation cycles \/ \d+\.\d$/m);
    expect(text.stdout).toMatch(/^calibration \((probe|bounded|preset)\): \d+\.\d simulated cycles per ns on /m);
    type Advice = {
      layouts: Record<string, { speedup: number; addedBytes: number }>;
      suggestedConfig: ConstructorParameters<typeof HugepageTuner>[0];
      hotBytes: number;
      model: { baseNs: number; cyclesPerNs: number; baseSource: string };
      accessRate: { perSecond: number; cpuShare: number | null; nsPerAccess: number };
      calibration: { source: string; cyclesPerNs: number; probe: { sizes: { bytes: number; ns4k: number }[] } | null };
    };
    const advice = JSON.parse((await thp(['advise', recording, '--json', '--accesses', '200000'], 120_000)).stdout) as Advice;
    expect(Object.keys(advice.layouts)).toEqual(['base4k', 'tuner', 'always']);
    expect(advice.layouts['base4k']!.speedup).toBe(1);
    expect(advice.hotBytes).toBeGreaterThanOrEqual(16 * 2 ** 20);
    expect(() => new HugepageTuner(advice.suggestedConfig)).not.toThrow();
    // The recorder wrote the process's CPU time, so the model's base is the recorded program's own.
    expect(advice.accessRate.cpuShare).toBeGreaterThan(0);
    expect(advice.model.baseSource).toBe('recording');
    expect(advice.model.cyclesPerNs).toBe(advice.calibration.cyclesPerNs);
    expect(advice.calibration.probe?.sizes[0]?.bytes).toBe(8 * 2 ** 20);
    const preset = JSON.parse((await thp(['advise', recording, '--json', '--accesses', '200000', '--no-calibrate'], 120_000)).stdout) as Advice;
    expect(preset.calibration).toMatchObject({ source: 'preset', probe: null });
    const given = JSON.parse((await thp(['advise', recording, '--json', '--accesses', '200000', '--cycles-per-ns', '12.5'], 120_000)).stdout) as Advice;
    expect(given.calibration).toMatchObject({ source: 'given', cyclesPerNs: 12.5, probe: null });
  });

  it('monitor shows screens of a script until it ends', async () => {
    const r = await thp(['monitor', '--refresh', '500ms', '--', 'node', fixture, '2'], 60_000);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^thp-autotune monitor: pid \d+ \(node .*hot-writer\.cjs 2\)$/m);
    expect(r.stderr).toMatch(/^heat: [0-9]{80} /m);
  });

  it('monitor --json writes each refresh as a JSON line, addresses as decimal strings', async () => {
    const r = await thp(['monitor', '--json', '--refresh', '500ms', '--', 'node', fixture, '2'], 60_000);
    expect(r.status, r.stderr).toBe(0);
    const screens = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { snapshot: { timeMs: number; regions: unknown[][] } });
    expect(screens.length).toBeGreaterThan(0);
    const [start, end, nrAccesses] = screens.at(-1)!.snapshot.regions[0]!;
    expect([start, end].every((a) => typeof a === 'string' && /^\d+$/.test(a))).toBe(true);
    expect(BigInt(end as string)).toBeGreaterThan(BigInt(start as string));
    expect(typeof nrAccesses).toBe('number');
  });
});

const referencedMissing = sourceUnavailable('referenced');
if (referencedMissing) console.log(`recording with the referenced source skipped: ${referencedMissing}`);

describe.skipIf(referencedMissing !== null)('a script that only reads, recorded with the default source', () => {
  const readerFile = path.join(dir, 'reader.jsonl');
  let run: CliRun;
  beforeAll(async () => {
    run = await thp(['record', '--aggregation', '500ms', '--out', readerFile, '--', 'node', path.resolve(__dirname, 'fixtures/hot-reader.cjs')], 120_000);
  }, 150_000);

  it('sees the memory it reads: the hot 16 MiB accessed, more than the rest of the buffer', async () => {
    expect(run.status, run.stderr).toBe(0);
    const recording = await readRecording(readerFile);
    expect(recording.header).toMatchObject({ source: 'referenced', signal: 'access' });
    // The buffer is the one 128 MiB target whose first 16 MiB are read; the first window also
    // saw the fill of all of it, so the last snapshot, windows later, is the one to judge.
    const buffer = recording.targets.at(-1)!.ranges.find(([s, e]) => e - s === 128n * 2n ** 20n);
    expect(buffer, JSON.stringify(recording.targets.at(-1)!.ranges.map(([s, e]) => Number(e - s) / 2 ** 20))).toBeDefined();
    const [start] = buffer!;
    const hotEnd = start + 16n * 2n ** 20n;
    const last = recording.snapshots.at(-1)!;
    // Mean access rate over [from, to) of the last snapshot's regions.
    const rate = (from: bigint, to: bigint) => {
      let weighted = 0;
      for (const [s, e, n] of last.regions) {
        const lo = s > from ? s : from;
        const hi = e < to ? e : to;
        if (hi > lo) weighted += Number(hi - lo) * (n / last.maxNrAccesses);
      }
      return weighted / Number(to - from);
    };
    const hot = rate(start, hotEnd);
    const cold = rate(hotEnd, start + 128n * 2n ** 20n);
    expect(hot, `hot ${hot}, cold ${cold}`).toBeGreaterThan(0.5);
    expect(hot, `hot ${hot}, cold ${cold}`).toBeGreaterThan(cold);
  });

  it('advise predicts from it: the reads are seen, the hot 16 MiB is hot and the rest is not', async () => {
    const r = await thp(['advise', readerFile, '--no-calibrate', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const advice = JSON.parse(r.stdout) as { signal: string; hotBytes: number; accessRate: { perSecond: number } };
    expect(advice.signal).toBe('access');
    expect(advice.accessRate.perSecond).toBeGreaterThan(0);
    expect(advice.hotBytes).toBeGreaterThanOrEqual(16 * 2 ** 20);
    expect(advice.hotBytes).toBeLessThan(64 * 2 ** 20);
  });
});

describe('bad arguments', () => {
  const malformed = path.join(dir, 'malformed.jsonl');
  writeFileSync(malformed, '{"hello": 1}\n');
  it.each([
    [['record', '--bogus'], /unknown option '--bogus'/],
    [['record', '--duration', '5parsecs', fixture], /--duration must be a duration from 100ms to /],
    [['record', '--max-regions', '1.5', fixture], /--max-regions must be an integer from 3 to 1000000; received "1.5"/],
    [['record', '--pid', '1', fixture], /--pid must be given, or else a Node script to run \(one of the two\)/],
    [['record'], /--pid must be given, or else a Node script to run/],
    [['record', '--pid', '999999'], /no process with pid 999999 exists/],
    [['record', 'ls', '-l'], /script must be an existing Node script; received "ls"/],
    [['record', '--source', 'damon', fixture], /--source must be referenced or pagemap; received "damon"/],
    [['record', '--source', 'pagemap', '--pid', '1'], /--source must be absent with --pid/],
    [['monitor', '--source', 'pagemap', '--config', fixture, fixture], /--source must be absent with --config/],
    [['report', 'access', path.join(dir, 'missing.jsonl')], /recording file must be a readable file \(ENOENT\)/],
    [['report', 'access', malformed], /is not a thp-autotune recording/],
    [['report', 'bogus', malformed], /kind must be one of access, heatmap, wss, huge; received "bogus"/],
    [['report', 'huge', malformed, '--hot-rate', '200%'], /is not a thp-autotune recording|--hot-rate must be a share/],
    [['advise'], /file must be a recording file, or else --pid \(one of the two\)/],
    [['advise', malformed, '--pid', '1'], /file must be a recording file, or else --pid/],
    [['advise', malformed, '--cycles-per-ns', '0'], /--cycles-per-ns must be a number above 0/],
    [['advise', malformed, '--calibration-budget', '5parsecs'], /--calibration-budget must be a duration/],
    [['monitor', '--refresh', '1parsec', fixture], /--refresh must be a duration/],
  ])('%j', async (args, message) => {
    const r = await thp(args);
    expect(r.status).toBeGreaterThan(0);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });

  it('another process without the kernel DAMON: says what is missing', async () => {
    const caps = await capabilities();
    if (caps.damonSysfs.vaddr.supported) return;
    const r = await thp(['record', '--pid', String(process.pid), '--duration', '1s']);
    expect(r.status).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/kernel DAMON access source is not supported here/);
  });
});
