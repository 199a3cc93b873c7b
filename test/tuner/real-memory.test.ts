// The tuner on real memory, in a child process (its source watches its own process): a 2 GiB
// allocAligned buffer whose 256 MiB hot part is written (pagemap source) or read (the default
// source, referenced) continuously and the rest touched once; default intervals, a time quota
// of 500 ms per second.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pagemapUnavailable } from '../helpers/pagemap.js';
import { sourceUnavailable } from '../helpers/sources.js';
import { distEntry } from '../helpers/dist-entry.js';
import { collapseUnavailable } from '../helpers/memory.js';
import { spawnAsync } from '../helpers/spawn-async.js';

const pagemapMissing = pagemapUnavailable();
const collapseMissing = await collapseUnavailable();
const skip = pagemapMissing ?? collapseMissing;
if (skip) console.log(`real-memory tuner test skipped: ${skip}`);

const referencedMissing = sourceUnavailable('referenced');
const readSkip = referencedMissing ?? collapseMissing;
if (readSkip) console.log(`real-memory read tuner test skipped: ${readSkip}`);

const HOT = Array.from({ length: 128 }, (_, i) => 256 + i);
const SPARSE = [266, 276];

describe.skipIf(skip !== null)('HugepageTuner on real memory', () => {
  // How fast the hot part goes huge is a benchmark figure (bench/tuner-latency), printed here
  // but not asserted: on a quiet machine 95% took 2.9 to 5.0 s; with both vCPUs busy with other
  // work everything takes several times longer. The test asserts what the tuner promises: the
  // written part ends on huge pages (the child gives up only after 20 s without progress),
  // nothing else does. The scheme asks for an access rate of 20%, not the benchmark's 80%:
  // with both cores busy the writer is off the CPU for whole sampling intervals, and a set
  // written without pause measures well below 80% (seen: nothing collapsed in 60 s at 80%,
  // everything in 37 s at 20%); the cold part measures 0% either way.
  // DAMON's regions at the hot set's edges can mix hot and cold memory, but the tuner probes
  // every candidate unit and collapses only units written since their previous probe: no cold
  // unit goes huge (before the probe: up to 24 at the edges).
  it('puts the written 256 MiB on huge pages with the pagemap source, leaves the cold part and the sparse units on 4 KiB pages, and changes no byte', async () => {
    const r = await spawnAsync(process.execPath, [path.join(__dirname, 'fixtures/tuner-child.cjs'), distEntry, '500ms', '20000', '20%', 'pagemap'], { timeoutMs: 200_000 });
    expect(r.signal).toBeNull();
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(out.fatal).toBeUndefined();
    console.log(
      `real memory: hot part 95% huge after ${out.hot95AtMs} ms, all after ${out.hotHugeAtMs} ms; ${out.units.collapsed} units collapsed in ${out.actionMs.toFixed(0)} ms ` +
        `(${(out.actionMs / out.units.collapsed).toFixed(2)} ms per unit); AnonHugePages of the buffer ${out.anonHugeBytes / 2 ** 20} MiB; timeline ${JSON.stringify(out.timeline)}`,
    );
    expect(out.errors).toEqual([]);
    expect(out.lastError).toBeNull();
    expect(out.hot95AtMs).not.toBeNull();
    expect(out.hotHugeAtMs).not.toBeNull();
    const hotDense = HOT.filter((u) => !SPARSE.includes(u));
    expect(out.hugeUnits.filter((u: number) => hotDense.includes(u)).length).toBe(hotDense.length);
    const cold = out.hugeUnits.filter((u: number) => !HOT.includes(u));
    console.log(`cold units on huge pages: ${JSON.stringify(cold)}; units the probe found cold ${out.units['skipped-cold']}, awaiting their probe ${out.units['skipped-unprobed']}`);
    expect(cold).toEqual([]);
    expect(out.sparseHuge).toEqual([]); // 100 absent pages: over the bloat bound
    expect(out.sparseResident).toEqual([412, 412]);
    expect(out.units['skipped-bloat']).toBeGreaterThan(0);
    expect(out.addedBytes).toBe(0);
    expect(out.anonHugeBytes).toBe(hotDense.length * 2 ** 21);
    expect(out.wrongPages).toBe(0);
    expect(out.eligibility.eligibleAnonymousBytes).toBeGreaterThanOrEqual(2 ** 31 - 200 * 4096);
  }, 210_000);

  // The same layout with the hot part only READ, and the tuner's default source, referenced
  // (the pagemap source sees writes only). The referenced source has no unit probe; the tuner
  // leaves alone a unit whose cell a window saw unused since its region took its access rate,
  // and a unit not observed follows its region only where windows saw the region's units used
  // and none unused (docs/sources.md), so a few cold units at the hot part's edges may still go
  // huge with it (0-26 per run in bench/tuner-edge; 21-74 before units waited for a window).
  // The bound is the documented limit, not one run's figure: cold units go huge only at the
  // hot part's edges, in regions that straddle it, never farther from it than the hot part is
  // long, and the cold memory beyond stays on 4 KiB pages.
  it.skipIf(readSkip !== null)(
    'puts the READ 256 MiB on huge pages with the default source (referenced), and changes no byte',
    async () => {
      const r = await spawnAsync(process.execPath, [path.join(__dirname, 'fixtures/tuner-child.cjs'), distEntry, '500ms', '20000', '20%', '', 'read'], { timeoutMs: 200_000 });
      expect(r.signal).toBeNull();
      expect(r.stderr).toBe('');
      const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
      expect(out.fatal).toBeUndefined();
      const cold = out.hugeUnits.filter((u: number) => !HOT.includes(u));
      console.log(
        `real memory, read: hot part 95% huge after ${out.hot95AtMs} ms, all after ${out.hotHugeAtMs} ms; ${out.units.collapsed} units collapsed; ` +
          `cold units on huge pages ${JSON.stringify(cold)}; units a window saw unused ${out.units['skipped-cold']}; timeline ${JSON.stringify(out.timeline)}`,
      );
      expect(out.errors).toEqual([]);
      expect(out.lastError).toBeNull();
      expect(out.readSum).toBeGreaterThan(0);
      const hotDense = HOT.filter((u) => !SPARSE.includes(u));
      expect(out.hugeUnits.filter((u: number) => hotDense.includes(u)).length).toBe(hotDense.length);
      const distance = (u: number) => (u < HOT[0]! ? HOT[0]! - u : u - HOT.at(-1)!);
      expect(cold.filter((u: number) => distance(u) > HOT.length)).toEqual([]);
      expect(out.sparseHuge).toEqual([]);
      expect(out.wrongPages).toBe(0);
    },
    210_000,
  );
});
