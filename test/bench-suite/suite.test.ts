// The benchmark suite's pure parts (bench/suite): its statistics and ratio formulas, the
// targets and their reasons, and the pages generated from a fixture results file, so that a
// change to the reporting shows here rather than in a 30-minute run.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addressOf, allocAligned, collapse, madvise, residency } from '../../lib/memory/index.js';
import { collapseUnavailable } from '../helpers/memory.js';
import { ETHP } from '../../bench/suite/configurations.js';
import { normalizeTunerOptions } from '../../lib/config/options.js';
import { replaceBlock, resultsStem } from '../../bench/suite/output.js';
import { recommendedBlock } from '../../bench/suite/recommended-settings.js';
import { readmeBlock, resultsPage } from '../../bench/suite/report/markdown.js';
import { plotPoints, plotSvg } from '../../bench/suite/report/plot.js';
import type { SuiteResults } from '../../bench/suite/results.js';
import { loadModule, workloadModules } from '../../bench/suite/registry.js';
import { runTasks } from '../../bench/suite/schedule.js';
import { parseAnswer } from '../../bench/suite/spawn-child.js';
import { bloatRemoved, cell, speedupKept, stat, summarize } from '../../bench/suite/summary.js';
import { checkTargets } from '../../bench/suite/targets.js';
import { converge } from '../../bench/suite/converge.js';
import type { Timing } from '../../bench/suite/protocol.js';
import { selectedChoice } from '../../bench/suite/thp-sysfs.js';
import { isWorkload } from '../../bench/suite/workload.js';

const UNIT = 2 ** 21;
const collapseMissing = await collapseUnavailable();
if (collapseMissing) console.log(`converge test on real memory skipped: ${collapseMissing}`);

const fixture = JSON.parse(readFileSync(path.join(__dirname, 'fixtures/suite-results.json'), 'utf8')) as SuiteResults;
const GiB = 2 ** 30;

describe('statistics and ratios', () => {
  it('takes medians and half-ranges, ignoring missing values', () => {
    expect(stat([3, 1, 2, null, undefined, NaN])).toEqual({ median: 2, spread: 1, n: 3 });
    expect(stat([null])).toBeNull();
  });

  it("speedup kept is the configuration's gain over THP=always's gain", () => {
    expect(speedupKept(11.8, 10, 12)).toBeCloseTo(0.9);
    expect(speedupKept(12, 10, 12)).toBeCloseTo(1);
    // THP=always's own gain under 5%: a share of it would be noise over noise.
    expect(speedupKept(10.2, 10, 10.3)).toBeNull();
  });

  it("bloat removed is one minus the extra RSS over THP=always's extra RSS", () => {
    expect(bloatRemoved(1.32 * GiB, 1.3 * GiB, 2 * GiB)).toBeCloseTo(1 - 0.02 / 0.7);
    expect(bloatRemoved(1.3 * GiB, 1.3 * GiB, 1.3 * GiB + 2 ** 20)).toBeNull();
  });
});

describe('summary of the fixture run', () => {
  const summaries = summarize(fixture);
  const hotCold = summaries.find((s) => s.workload.name === 'hot-cold-write')!;

  it("reports THP=always's gain per round and the per-round ratios' median", () => {
    expect(hotCold.thpGainPerRound.map((g) => g!.toFixed(3))).toEqual(['1.200', '1.200']);
    const tuner = cell(hotCold, 'tuner-recommended')!;
    expect(tuner.speedupKept!.median).toBeCloseTo(0.95);
    expect(tuner.speedupKept!.spread).toBeCloseTo(0.05);
    expect(tuner.bloatRemoved!.median).toBeCloseTo(1 - 0.02 / 0.7);
    expect(tuner.extraCpuShare!.median).toBeCloseTo(0.01);
    expect(tuner.loopAbove4kMs!.median).toBeCloseTo(0.2);
    expect(tuner.timeToHugeMs!.median).toBe(16500);
  });

  it('keeps a failed run as an error of its cell', () => {
    const ethp = cell(
      summaries.find((s) => s.workload.name === 'v8-heap')!,
      'ethp',
    )!;
    expect(ethp.runs).toBe(1);
    expect(ethp.errors[0]).toMatch(/^round 2: Error: the child crashed/);
  });

  it('checks the targets and says why one is missed', () => {
    const targets = checkTargets(summaries);
    const find = (t: string) => targets.find((x) => x.target.startsWith(t))!;
    expect(find('hot-cold-write: speedup kept').status).toBe('met');
    expect(find('hot-cold-write: bloat removed').status).toBe('met');
    const reads = find('random-reads: speedup kept');
    expect(reads.status).toBe('missed');
    expect(reads.why).toMatch(/sees writes only/);
    const phase = find('phase-change: new hot set huge');
    expect(phase.status).toBe('missed');
    expect(phase.value).toMatch(/^3\.00x/);
    expect(phase.why).toMatch(/first collapse came 2\.0 s after the move/);
    expect(find('v8-heap: tuner CPU').status).toBe('met');
    expect(targets.filter((t) => t.target.includes('event-loop')).every((t) => t.status === 'met')).toBe(true);
  });

  it("says how often slices were held up where the loop's p99 is missed, and whether huge pages alone do it", () => {
    const run = structuredClone(fixture);
    const held: Record<string, [number, number]> = { '4k': [5, 0.5], always: [5.4, 2.0], 'tuner-recommended': [9, 2.2] };
    for (const r of run.runs) {
      if (r.workload !== 'hot-cold-write' || r.measurement === null || !(r.config in held)) continue;
      [r.measurement.loopP99Ms, r.measurement.longSlicesPerS] = held[r.config]!;
    }
    const loop = checkTargets(summarize(run)).find((t) => t.target.startsWith('hot-cold-write: event-loop'))!;
    expect(loop.status).toBe('missed');
    expect(loop.why).toMatch(/p99 9\.00 ms with the tuner against 5\.00 ms on 4 KiB pages and 5\.40 ms with THP=always/);
    expect(loop.why).toMatch(/2\.2 a second with the tuner, 2\.0 with THP=always, 0\.5 on 4 KiB pages/);
    expect(loop.why).toMatch(/what huge pages themselves add/);
    // Stalls the tuner adds beyond THP=always's are not put down to huge pages.
    for (const r of run.runs) if (r.workload === 'hot-cold-write' && r.config === 'tuner-recommended' && r.measurement) r.measurement.longSlicesPerS = 4;
    const own = checkTargets(summarize(run)).find((t) => t.target.startsWith('hot-cold-write: event-loop'))!;
    expect(own.why).not.toMatch(/what huge pages themselves add/);
  });

  it('generates RESULTS.md, the plot and the README block from the results alone', () => {
    const page = resultsPage(fixture, summaries, checkTargets(summaries), { json: 'results/x.json', svg: 'results/x.svg' });
    expect(page).toContain('CPU: Test CPU, 2 CPUs');
    expect(page).toContain('Kernel: 6.18.0-test');
    expect(page).toContain('enabled madvise (2 MiB: inherit), defrag madvise');
    expect(page).toContain('Command: `npm run bench` (full scale, 2 rounds)');
    expect(page).toContain('![speedup kept against bloat removed, per workload and configuration](results/x.svg)');
    expect(page).toContain('| random-reads: speedup kept >= 90% | 0.0% (±0.0% over 2 rounds) | missed |');
    expect(page).toContain('The tuner cannot help here by design');
    expect(page).toContain('ethp, round 2: Error: the child crashed');
    const points = plotPoints(summaries);
    expect(points.map((p) => `${p.workload}/${p.config}`)).toContain('hot-cold-write/tuner-recommended');
    const svg = plotSvg(points);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<circle [^>]*r="5"/g)!.length).toBeGreaterThanOrEqual(points.length);
    const block = readmeBlock(fixture, summaries, 'bench/RESULTS.md');
    expect(block).toContain('| hot-cold-write | 1.200x | 95% | 97% |');
    expect(block).toContain('[bench/RESULTS.md](bench/RESULTS.md)');
  });
});

describe('files and protocol', () => {
  it('replaces only what lies between the README markers, and nothing without them', () => {
    expect(replaceBlock('a\n<!-- results:begin -->\nold\n<!-- results:end -->\nb', 'new')).toBe('a\n<!-- results:begin -->\nnew\n<!-- results:end -->\nb');
    expect(replaceBlock('no markers here', 'new')).toBeNull();
  });

  it('names a results file by date, CPU and kernel', () => {
    expect(resultsStem(fixture)).toBe('2026-12-04-test-cpu-6.18.0-test');
    expect(resultsStem({ ...fixture, scale: 'quick' })).toBe('2026-12-04-test-cpu-6.18.0-test-quick');
  });

  it('finds the recommended settings under their heading, not a block of another section', () => {
    const md = '# X\n## Recommended settings for a service\ntext\n```yaml\nmaxPtesNone: 64\n```\n';
    expect(recommendedBlock(md)).toEqual({ heading: 'Recommended settings for a service', yaml: 'maxPtesNone: 64\n' });
    expect(recommendedBlock('## Recommended settings\n## Other\n```yaml\na: 1\n```\n')).toBeNull();
  });

  it("the ethp configuration is valid tuner options (DAMON's two rules, no quota)", () => {
    const o = normalizeTunerOptions(ETHP);
    expect(o.schemes.map((s) => s.action)).toEqual(['hugepage', 'nohugepage']);
    expect(o.schemes.every((s) => s.quota.ms === 0 && s.quota.sz === 0 && s.quota.goals.length === 0)).toBe(true);
  });

  it('reads the answer after its marker, whatever the workload printed before', () => {
    expect(parseAnswer('hello\n@@bench-suite-result {"ok":false,"error":"x"}\n')).toEqual({ ok: false, error: 'x' });
    expect(parseAnswer('nothing')).toBeNull();
  });

  it('lists the built-in workloads in their order and refuses a module that exports no workload', async () => {
    expect(
      workloadModules()
        .filter((m) => !m.thirdParty)
        .map((m) => path.basename(m.file)),
    ).toEqual(['random-reads.ts', 'hot-cold.ts', 'sparse.ts', 'v8-heap.ts', 'phase-change.ts']);
    await expect(loadModule(path.join(__dirname, 'fixtures/not-a-workload.ts'))).rejects.toThrow(/default export must be a Workload/);
    const hotCold = await loadModule(workloadModules().find((m) => m.file.endsWith('hot-cold.ts'))!.file);
    expect(hotCold.map((w) => w.name)).toEqual(['hot-cold-write', 'hot-cold-read']);
  });

  it('runs a task that switches the machine-wide THP setting alone, the others up to `jobs` at once', async () => {
    let running = 0;
    const log: string[] = [];
    const task = (name: string, exclusive: boolean) => ({
      exclusive,
      run: async () => {
        running++;
        log.push(`${name}:${running}`);
        await new Promise((r) => setTimeout(r, 5));
        running--;
      },
    });
    await runTasks([task('a', false), task('b', true), task('c', false), task('d', false)], 2);
    expect(log[0]).toBe('b:1');
    expect(log.slice(1).sort()).toEqual(['a:1', 'c:2', 'd:2']);
    log.length = 0;
    await runTasks([task('a', false), task('b', true)], 1);
    expect(log).toEqual(['a:1', 'b:1']);
  });

  it('reads sysfs choices and recognizes workloads', () => {
    expect(selectedChoice('always [madvise] never')).toBe('madvise');
    expect(isWorkload({ name: 'a-b', title: 't', unit: 'ops', tunerCanHelp: true, setup() {}, run: () => ({ ops: 1 }) })).toBe(true);
    expect(isWorkload({ name: 'A b', title: 't', unit: 'ops', tunerCanHelp: true, setup() {}, run: () => ({ ops: 1 }) })).toBe(false);
  });

  it('waits for a tuner only on a workload it can help; elsewhere every configuration gets the same warm-up', async () => {
    const timing = { sliceMs: 5, warmupMs: 50, longWarmupMs: 100, measureMs: 0, convergeCapMs: 60_000, stallMs: 60_000, firstProgressAggregations: 0, pollMs: 10 } as Timing;
    // No hot ranges and nothing mapped huge: a tuner here never shows progress.
    const workload = (tunerCanHelp: boolean) => ({ name: 'w', title: 't', unit: 'ops', tunerCanHelp, longWarmup: true, setup() {}, run: () => ({ ops: 1 }) });
    const pace = { warmupMs: 0, aggregationMs: 10, collapsedUnits: () => 0 };
    const cannotHelp = await converge(workload(false), timing, pace);
    expect(cannotHelp.end).toBe('warmup');
    expect(cannotHelp.ms).toBeGreaterThanOrEqual(100);
    expect(cannotHelp.ms).toBeLessThan(30_000);
    // Where it can help, it is given until progress stalls: at least the stall time, not the warm-up.
    const canHelp = await converge(workload(true), { ...timing, stallMs: 300, convergeCapMs: 5000 }, pace);
    expect(['stalled', 'cap']).toContain(canHelp.end);
    expect(canHelp.ms).toBeGreaterThanOrEqual(400);
  });

  it.skipIf(collapseMissing !== null)('with the hot set huge, waits until the tuner has collapsed nothing for the stall time', async (ctx) => {
    // A hot set already on a 2 MiB page (real memory: the suite reads residency).
    const buffer = allocAligned(2 * UNIT);
    await madvise(buffer, 'hugepage');
    new Uint8Array(buffer).fill(1);
    await collapse(buffer);
    const hot = { address: addressOf(buffer), length: 2 * UNIT };
    const units = await residency(hot);
    if (!units.every((u) => u.pmdMapped)) {
      console.log('converge test skipped: no 2 MiB page could be had for the hot set (memory fragmented?)');
      ctx.skip();
    }
    const timing = { sliceMs: 5, warmupMs: 0, longWarmupMs: 0, measureMs: 0, convergeCapMs: 10_000, stallMs: 300, firstProgressAggregations: 0, pollMs: 10 } as Timing;
    const workload = { name: 'w', title: 't', unit: 'ops', tunerCanHelp: true, setup() {}, run: () => ({ ops: 1 }), hotRanges: () => [hot] };
    // The tuner keeps collapsing memory beyond the hot set for its first second.
    const t0 = performance.now();
    const pace = { warmupMs: 0, aggregationMs: 10, collapsedUnits: () => Math.min(1000, Math.floor(performance.now() - t0)) };
    const r = await converge(workload, timing, pace);
    expect(r.end).toBe('huge');
    expect(r.timeToHugeMs).toBe(0);
    expect(r.ms).toBeGreaterThanOrEqual(1000 + 300 - 20);
  });
});
