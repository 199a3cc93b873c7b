// One validated schema for options and configuration files: defaults replicate the RFC
// module (docs/design-notes.md, "The RFC's hugepage module"); every bad field is named with its allowed range.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, FormatError, loadTunerConfig, parseTunerConfig } from '../../lib/index.js';
import { defaultOptions, normalizeTunerOptions } from '../../lib/config/options.js';
import { fixturePath } from '../helpers/fixtures.js';

describe('tuner options', () => {
  it('defaults are the RFC module’s parameters, except the mappings are re-read every 2 s (not 60 s) so new memory shows soon', () => {
    const d = defaultOptions();
    expect(d.monitoring).toEqual({ sampleIntervalMs: 5, aggregationIntervalMs: 100, opsUpdateIntervalMs: 2000, minRegions: 10, maxRegions: 1000 });
    const s = d.schemes[0]!;
    expect(s.action).toBe('collapse');
    expect(s.pattern).toEqual({ size: { min: '2M' }, age: { min: '100ms' } });
    expect(s.applyIntervalMs).toBe(0);
    expect(s.quota).toEqual({
      ms: 10,
      sz: 128 * 2 ** 20,
      resetIntervalMs: 1000,
      weights: { nrAccesses: 1, age: 1 },
      goals: [{ metric: 'hugepage_mem_bp', target: 100, scope: 'process' }],
      tuner: 'consist',
    });
    expect(s.watermarks.metric).toBe('none');
    expect(d.maxPtesNone).toBe(64);
    expect(d.warmupAggregations).toBe(10);
  });

  it('reads YAML and JSON files through the same schema', async () => {
    const yaml = normalizeTunerOptions(await loadTunerConfig(fixturePath('tuner/service.yaml')));
    expect(yaml.schemes[0]!.quota).toMatchObject({ ms: 100, sz: 2 ** 30, goals: [{ metric: 'hugepage_mem_bp', target: 3000, scope: 'process' }] });
    expect(yaml.schemes[0]!.watermarks).toEqual({ metric: 'free_mem_rate', intervalMs: 5000, high: 1000, mid: 100, low: 50 });
    const json = normalizeTunerOptions(await loadTunerConfig(fixturePath('tuner/service.json')));
    expect(json.schemes[0]!.quota.tuner).toBe('temporal');
    expect(json.churnBackoffMs).toBe(30_000);
    expect(() => parseTunerConfig('schemes: [', 'yaml')).toThrow(FormatError);
    const dir = await mkdtemp(join(tmpdir(), 'tuner-config-'));
    await writeFile(join(dir, 'x.toml'), '');
    await expect(loadTunerConfig(join(dir, 'x.toml'))).rejects.toThrow(/config must be a file ending in .json, .yaml or .yml/);
    await writeFile(join(dir, 'bad.yml'), 'schemes:\n  - quota: { time: 5 parsecs }\n');
    await expect(loadTunerConfig(join(dir, 'bad.yml'))).rejects.toMatchObject({ field: 'schemes[0].quota.time' });
  });

  it('takes the source as a description {kind, ...options}, a bare name short for {kind: name}', () => {
    expect(defaultOptions().source).toEqual({ kind: 'referenced' });
    expect(normalizeTunerOptions({ source: 'pagemap' }).source).toEqual({ kind: 'pagemap' });
    const referenced = { kind: 'referenced' as const, minInterval: '500ms', cpuBudget: '2%', programBudget: 0.05 };
    expect(normalizeTunerOptions({ source: referenced }).source).toEqual(referenced);
    expect(normalizeTunerOptions({ source: { kind: 'damon' } }).source).toEqual({ kind: 'damon' });
  });

  it('keeps addr filter bounds as addresses are output everywhere: bigints (docs/conventions.md)', () => {
    const [f] = normalizeTunerOptions({ schemes: [{ filters: [{ type: 'addr', start: 2 ** 30, end: 2n ** 31n }] }] }).schemes[0]!.filters;
    expect(f).toEqual({ type: 'addr', matching: true, allow: true, start: 2n ** 30n, end: 2n ** 31n });
  });

  // [options, field named, words in the allowed range]
  const bad: [unknown, string, RegExp][] = [
    [{ color: 'red' }, 'color', /unknown key/],
    [{ schemes: [{ quota: { tiem: '10ms' } }] }, 'schemes[0].quota.tiem', /unknown key \(did you mean 'time'\?\)/],
    [{ monitoring: { intervalsGoal: { access: '4%' } } }, 'monitoring.intervalsGoal', /unknown key/],
    [{ shemes: [] }, 'shemes', /did you mean 'schemes'/],
    [{ pid: 0 }, 'pid', /from 1 to 4194304/],
    [{ source: 'kernel' }, 'source', /'pagemap', 'referenced', 'damon' or a description/],
    [{ source: { kind: 'kernel' } }, 'source.kind', /one of 'pagemap', 'referenced', 'damon', 'sim'/],
    [{ source: { kind: 'pagemap', cpuBudget: 0.1 } }, 'source.cpuBudget', /unknown key/],
    [{ source: { kind: 'referenced', cpuBuget: 0.1 } }, 'source.cpuBuget', /did you mean 'cpuBudget'/],
    [{ source: { kind: 'referenced', cpuBudget: 0 } }, 'source.cpuBudget', /at least 0.01%/],
    [{ source: { kind: 'referenced', minInterval: '10us' } }, 'source.minInterval', /from 1ms/],
    [{ monitoring: { sampleInterval: '5 sec' } }, 'monitoring.sampleInterval', /duration/],
    [{ monitoring: { sampleInterval: '200ms' } }, 'monitoring.aggregationInterval', /at least sampleInterval/],
    [{ monitoring: { minRegions: 2 } }, 'monitoring.minRegions', /from 3/],
    [{ monitoring: { minRegions: 50, maxRegions: 20 } }, 'monitoring.minRegions', /maxRegions \(20\)/],
    [{ schemes: [] }, 'schemes', /1 to 16/],
    [{ schemes: [{ action: 'pageout' }] }, 'schemes[0].action', /'collapse', 'hugepage', 'nohugepage', 'stat'/],
    [{ schemes: [{ scoring: 'random' }] }, 'schemes[0].scoring', /'hot', 'kernel'/],
    [{ schemes: [{ applyInterval: -1 }] }, 'schemes[0].applyInterval', /duration from 0us/],
    [{ schemes: [{ pattern: { size: { min: '5%' } } }] }, 'schemes[0].pattern.size.min', /size/],
    [{ schemes: [{ pattern: { accessRate: { min: '2M' } } }] }, 'schemes[0].pattern.accessRate.min', /percentage/],
    [{ schemes: [{ pattern: { age: { max: '1 fortnight' } } }] }, 'schemes[0].pattern.age.max', /duration/],
    [{ schemes: [{ pattern: { heat: 1 } }] }, 'schemes[0].pattern.heat', /unknown key/],
    [{ schemes: [{ quota: { time: '2h' } }] }, 'schemes[0].quota.time', /duration/],
    [{ schemes: [{ quota: { size: '12Q' } }] }, 'schemes[0].quota.size', /size/],
    [{ schemes: [{ quota: { resetInterval: 0 } }] }, 'schemes[0].quota.resetInterval', /from 1ms/],
    [{ schemes: [{ quota: { weights: { age: 1001 } } }] }, 'schemes[0].quota.weights.age', /0 to 1000/],
    [{ schemes: [{ quota: { tuner: 'pid' } }] }, 'schemes[0].quota.tuner', /'consist', 'temporal'/],
    [{ schemes: [{ quota: { goals: [{ metric: 'hugepage_mem_bp', target: 0 }] } }] }, 'schemes[0].quota.goals[0].target', /at least 0.01%/],
    [{ schemes: [{ quota: { goals: [{ metric: 'hugepage_mem_bp', target: 3000 }] } }] }, 'schemes[0].quota.goals[0].target', /a ratio/],
    [{ schemes: [{ quota: { goals: [{ metric: 'tlb_misses', target: 1 }] } }] }, 'schemes[0].quota.goals[0].metric', /hugepage_mem_bp/],
    [{ schemes: [{ quota: { goals: [{ metric: 'user_input', target: 1, scope: 'system' }] } }] }, 'schemes[0].quota.goals[0].scope', /absent unless/],
    [{ schemes: [{ quota: { goals: [{ metric: 'hugepage_mem_bp', target: 1, scope: 'cgroup' }] } }] }, 'schemes[0].quota.goals[0].scope', /'process', 'system'/],
    [{ schemes: [{ quota: { goals: [{ metric: 'node_mem_free_bp', target: 1, nid: 4096 }] } }] }, 'schemes[0].quota.goals[0].nid', /0 to 1023/],
    [{ schemes: [{ watermarks: { metric: 'free_mem_rate', high: 1000 } }] }, 'schemes[0].watermarks.high', /a ratio/],
    [{ schemes: [{ watermarks: { metric: 'free_mem_rate', high: '30%', mid: '40%', low: '10%' } }] }, 'schemes[0].watermarks.mid', /low \(10%\) <= mid <= high \(30%\)/],
    [{ schemes: [{ watermarks: { metric: 'load' } }] }, 'schemes[0].watermarks.metric', /'none', 'free_mem_rate'/],
    [{ schemes: [{ filters: [{ type: 'addr', start: 10, end: 5 }] }] }, 'schemes[0].filters[0].end', /above start \(10\)/],
    [{ schemes: [{ filters: [{ type: 'memcg' }] }] }, 'schemes[0].filters[0].type', /'addr', 'anon'/],
    [{ schemes: [{ filters: [{ type: 'anon', allow: 'no' }] }] }, 'schemes[0].filters[0].allow', /true or false/],
    [{ maxPtesNone: 512 }, 'maxPtesNone', /0 to 511/],
    [{ warmupAggregations: -1 }, 'warmupAggregations', /0 to 1000000/],
    [{ churnBackoff: '0ms' }, 'churnBackoff', /from 1ms/],
    [{ churnBackoff: '1min', churnBackoffMax: '10s' }, 'churnBackoffMax', /at least churnBackoff/],
    [{ seed: -1 }, 'seed', /from 0/],
    [{ signal: 'stop' }, 'signal', /AbortSignal/],
  ];
  it.each(bad)('%j names %s', (options, field, allowed) => {
    let error: unknown;
    try {
      normalizeTunerOptions(options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).field).toBe(field);
    expect((error as InvalidArgumentError).message).toMatch(allowed);
  });
});
