// TlbSimulator API: option validation, workloads, sync and async runs, batches, traces.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BusyError, InvalidArgumentError, ThpError, TlbSimulator, predictSpeedup, presetNames, type Workload } from '../../lib/index.js';

const BASE = 1n << 40n;

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidArgumentError);
    return (e as InvalidArgumentError).field;
  }
  throw new Error('expected an InvalidArgumentError');
}

describe('options', () => {
  it('lists the presets: the build machine and the microarchitectures with published TLB figures', () => {
    expect(presetNames()).toEqual(expect.arrayContaining(['zen4-vm', 'zen2', 'zen3', 'zen5', 'golden-cove', 'sapphire-rapids', 'haswell', 'champsim']));
  });

  it("this machine's preset matches CPUID: 72-entry fully associative L1, 3072-entry L2, for 4K and 2M; nested by default", () => {
    const c = new TlbSimulator().config;
    expect(c.l1).toEqual([{ entries: 72, ways: 0, sizes: ['4k', '2m'] }]);
    expect(c.l2).toEqual([{ entries: 3072, ways: 12, sizes: ['4k', '2m'] }]);
    expect(c.nested.enabled).toBe(true);
  });

  it('applies levels, nested and overrides over the preset', () => {
    const c = new TlbSimulator({
      preset: 'haswell',
      levels: 5,
      nested: { hostPageSize: '2m' },
      overrides: { l2: [{ entries: 512, ways: 4, sizes: ['4k'] }], cost: { dramRefCycles: 250 }, walkCaches: { pde: { entries: 8 } } },
    }).config;
    expect(c.levels).toBe(5);
    expect(c.nested).toMatchObject({ enabled: true, hostPageSize: '2m' });
    expect(c.l2).toEqual([{ entries: 512, ways: 4, sizes: ['4k'] }]);
    expect(c.cost.dramRefCycles).toBe(250);
    expect(c.cost.l2HitCycles).toBe(12);
    expect(c.walkCaches.pde).toEqual({ entries: 8, ways: 4 });
  });

  it('names the bad field and the allowed range', () => {
    expect(fieldOf(() => new TlbSimulator({ preset: 'pentium' }))).toBe('options.preset');
    expect(fieldOf(() => new TlbSimulator({ levels: 3 as 4 }))).toBe('options.levels');
    expect(fieldOf(() => new TlbSimulator({ nested: { hostPageSize: '4m' as '4k' } }))).toBe('options.nested.hostPageSize');
    expect(fieldOf(() => new TlbSimulator({ overrides: { l2: [{ entries: 100, ways: 12, sizes: ['4k'] }] } }))).toBe('options.overrides.l2[0].ways');
    expect(fieldOf(() => new TlbSimulator({ overrides: { l1: [{ entries: 64, ways: 4, sizes: ['8k' as '4k'] }] } }))).toBe('options.overrides.l1[0].sizes[0]');
    expect(fieldOf(() => new TlbSimulator({ overrides: { cost: { dramRefCycles: -1 } } }))).toBe('options.overrides.cost.dramRefCycles');
    expect(fieldOf(() => new TlbSimulator({ overrides: { bogus: 1 } as never }))).toBe('options.overrides.bogus');
    const e = (() => {
      try {
        new TlbSimulator({ overrides: { l2: [{ entries: 100, ways: 12, sizes: ['4k'] }] } });
      } catch (err) {
        return err as Error;
      }
      return undefined;
    })();
    expect(e?.message).toMatch(/divisor of entries \(100\)/);
  });

  it('validates map arguments and workloads', () => {
    const sim = new TlbSimulator({ nested: false });
    expect(() => sim.map(BASE + 1n, 4096)).toThrow(InvalidArgumentError);
    expect(() => sim.map(1n << 48n, 4096)).toThrow(/below 2\^48/);
    sim.map(BASE, 4096);
    expect(() => sim.map(BASE, 4096)).toThrow(/nothing mapped/);
    expect(fieldOf(() => sim.runSync({ kind: 'zipf', base: BASE, bytes: 4096, count: 10, theta: -1 }))).toBe('workload.theta');
    expect(fieldOf(() => sim.runSync({ kind: 'nope', base: BASE, bytes: 4096, count: 10 } as unknown as Workload))).toBe('workload.kind');
    expect(fieldOf(() => sim.runSync({ kind: 'uniform', base: -1, bytes: 4096, count: 10 }))).toBe('workload.base');
    expect(fieldOf(() => sim.runSync({ kind: 'hotcold', base: BASE, bytes: 4096, count: 10, hotFraction: 2, hotShare: 0.5 }))).toBe('workload.hotFraction');
  });

  it('refuses pages past the 64 TiB of simulated frames (handed out once), instead of aliasing page-table addresses', () => {
    const sim = new TlbSimulator({ nested: false });
    const TiB = 2n ** 40n;
    const GiB = 2 ** 30;
    sim.map(BASE, 2 * 2 ** 20, '4k'); // 2 MiB of frames; the next 1 GiB frame starts at 1 GiB
    sim.map(2n * TiB, Number(64n * TiB) - GiB, '1g'); // the rest of the 64 TiB
    expect(sim.stats().memory.residentBytes).toBe(2 * 2 ** 20 + Number(64n * TiB) - GiB);
    expect(fieldOf(() => sim.map(100n * TiB, 4096))).toBe('bytes');
    expect(() => sim.map(100n * TiB, 4096)).toThrow(/64 TiB of frames/);
    expect(sim.collapse(BASE).status).toBe('out-of-frames');
    // Nothing changed: the 4 KiB pages are still mapped and translate.
    sim.access(new BigUint64Array([BASE, BASE + 4096n]));
    expect(sim.stats().faults).toBe(0);
    sim.unmap(2n * TiB, Number(64n * TiB) - GiB);
    expect(() => sim.map(2n * TiB, GiB, '1g')).toThrow(/not reused/);
  });
});

describe('workloads', () => {
  const bytes = 256 * 2 ** 20;
  function stats(w: Workload, preset = 'haswell') {
    const sim = new TlbSimulator({ preset, nested: false });
    sim.map(BASE, bytes, '4k');
    return sim.runSync(w);
  }
  const common = { base: BASE, bytes, count: 50_000 };

  it('a seed reproduces a run exactly; another seed differs', () => {
    const a = stats({ kind: 'uniform', ...common, seed: 3 });
    const b = stats({ kind: 'uniform', ...common, seed: 3 });
    const c = stats({ kind: 'uniform', ...common, seed: 4 });
    expect(b).toEqual(a);
    expect(c.l2.totalMisses).not.toBe(a.l2.totalMisses);
  });

  it('locality orders the miss rates: sequential < zipf < uniform, and hot/cold follows its hot share', () => {
    const seq = stats({ kind: 'sequential', ...common });
    const zipf = stats({ kind: 'zipf', ...common, theta: 1.2 });
    const uni = stats({ kind: 'uniform', ...common });
    expect(seq.l1.totalMisses).toBeLessThanOrEqual(Math.ceil(50_000 / 512) + 1);
    expect(zipf.l2.totalMisses).toBeLessThan(uni.l2.totalMisses / 2);
    // 1% of the range (2.56 MiB, inside the 4 MiB L2 reach) gets 90% of accesses.
    const hot = stats({ kind: 'hotcold', ...common, hotFraction: 0.01, hotShare: 0.9 });
    expect(hot.l2.totalMisses / hot.accesses).toBeGreaterThan(0.05);
    expect(hot.l2.totalMisses / hot.accesses).toBeLessThan(0.15);
  });

  it('strided access touches a new page per access when the stride is a page, a chase visits every slot once per lap', () => {
    const strided = stats({ kind: 'strided', ...common, stride: 4096, count: 1000 });
    expect(strided.walks.walks).toBe(1000);
    const sim = new TlbSimulator({ preset: 'haswell', nested: false });
    sim.map(BASE, 64 * 4096, '4k');
    const s = sim.runSync({ kind: 'chase', base: BASE, bytes: 64 * 4096, granule: 4096, count: 64 });
    expect(s.walks.walks).toBe(64); // 64 distinct pages in 64 steps
  });

  it('phases move the hot set: each new phase walks again', () => {
    const oneHot = stats({ kind: 'hotcold', ...common, hotFraction: 0.01, hotShare: 1 });
    const moving = stats({ kind: 'phases', ...common, hotFraction: 0.01, hotShare: 1, phaseLength: 5000 });
    expect(moving.walks.walks).toBeGreaterThan(5 * oneHot.walks.walks);
  });

  it('writes set Dirty and are counted', () => {
    const s = stats({ kind: 'uniform', ...common, writeFraction: 0.5 });
    expect(s.writes / s.accesses).toBeGreaterThan(0.45);
    expect(s.writes / s.accesses).toBeLessThan(0.55);
  });
});

describe('batches, runs and traces', () => {
  it('BigUint64Array and Float64Array batches give the same counters', () => {
    const addrs = Array.from({ length: 5000 }, (_, i) => Number(BASE) + ((i * 7919) % 4096) * 4096 + 8);
    const a = new TlbSimulator({ nested: false });
    const b = new TlbSimulator({ nested: false });
    a.map(BASE, 2 ** 24);
    b.map(BASE, 2 ** 24);
    a.access(BigUint64Array.from(addrs.map(BigInt)));
    b.access(Float64Array.from(addrs));
    expect(b.stats()).toEqual(a.stats());
    const flags = new Uint8Array(5000).fill(1);
    a.access(BigUint64Array.from(addrs.map(BigInt)), flags);
    expect(a.stats().writes).toBe(5000);
    expect(() => a.access(new BigUint64Array(3), new Uint8Array(2))).toThrow(InvalidArgumentError);
  });

  it('long runs go off the JS thread; other calls meanwhile reject with BusyError; results match a sync run', async () => {
    const w: Workload = { kind: 'uniform', base: BASE, bytes: 2 ** 30, count: 1_000_000, seed: 9 };
    const sim = new TlbSimulator({ nested: false });
    sim.map(BASE, 2 ** 30);
    const pending = sim.run(w);
    expect(() => sim.stats()).toThrow(BusyError);
    expect(() => sim.map(BASE + 2n ** 31n, 4096)).toThrow(BusyError);
    const asyncStats = await pending;
    const ref = new TlbSimulator({ nested: false });
    ref.map(BASE, 2 ** 30);
    expect(ref.runSync(w)).toEqual(asyncStats);
    expect(sim.stats()).toEqual(asyncStats);
  });

  it('reset empties the TLBs and counters but keeps mappings', () => {
    const sim = new TlbSimulator({ nested: false });
    sim.map(BASE, 2 ** 21, '2m');
    sim.access(new BigUint64Array([BASE]));
    sim.reset();
    expect(sim.stats().accesses).toBe(0);
    sim.access(new BigUint64Array([BASE]));
    expect(sim.stats().walks.walks).toBe(1);
    expect(sim.lookup(BASE)?.pageSize).toBe('2m');
  });

  it('replays a trace file and reports a malformed line with its number', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'thp-trace-'));
    const good = path.join(dir, 'good.trace');
    writeFileSync(good, `# a comment\nR 0x${BASE.toString(16)}\nW 0x${(BASE + 8n).toString(16)}\n\n${BASE + 4096n}\n`);
    const sim = new TlbSimulator({ nested: false });
    sim.map(BASE, 2 ** 21);
    const s = await sim.run({ kind: 'trace', path: good });
    expect(s).toMatchObject({ accesses: 3, writes: 1, faults: 0 });
    expect(s.walks.walks).toBe(3); // read walk, dirty-assist walk, second page
    const bad = path.join(dir, 'bad.trace');
    writeFileSync(bad, 'R 0x1000\nX 12\n');
    await expect(sim.run({ kind: 'trace', path: bad })).rejects.toThrow(/bad\.trace:2/);
    await expect(sim.run({ kind: 'trace', path: path.join(dir, 'missing') })).rejects.toBeInstanceOf(ThpError);
    const padded = path.join(dir, 'padded.trace');
    writeFileSync(padded, `000${BASE + 8192n}\n`); // decimal with leading zeros, not octal
    const fresh = new TlbSimulator({ nested: false });
    fresh.map(BASE, 2 ** 21);
    expect(await fresh.run({ kind: 'trace', path: padded })).toMatchObject({ accesses: 1, faults: 0 });
  });

  it('predicts a speedup for 2 MiB pages on a TLB-bound workload', () => {
    const run = (size: '4k' | '2m') => {
      const sim = new TlbSimulator({ preset: 'zen3', nested: false });
      sim.map(BASE, 2 ** 31, size);
      return sim.runSync({ kind: 'uniform', base: BASE, bytes: 2 ** 31, count: 100_000 });
    };
    const small = run('4k');
    const huge = run('2m');
    expect(predictSpeedup(small, huge)).toBeGreaterThan(1.5);
    expect(predictSpeedup(small, small)).toBe(1);
  });
});
