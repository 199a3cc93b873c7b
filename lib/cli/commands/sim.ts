// `thp-autotune sim`: runs a workload through the TLB simulator for one or more page sizes and
// prints the counters side by side (or JSON), with the predicted speedup over the first size.
import type { Command } from 'commander';
import { InvalidArgumentError } from '../../errors.js';
import { parseBytes } from '../../units/index.js';
import { PAGE_SIZES, TlbSimulator, WORKLOAD_KINDS, predictSpeedup, presetNames } from '../../simulator/index.js';
import type { PageSize, SimStats, TlbSimulatorOptions, Workload } from '../../simulator/index.js';

function parseNumber(text: string, field: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw new InvalidArgumentError(field, 'a number', text);
  return v;
}

interface SimFlags {
  preset: string;
  workload: string;
  bytes: string;
  count: string;
  pageSize: string;
  base: string;
  granule: string;
  seed: string;
  writeFraction: string;
  theta: string;
  stride: string;
  hotFraction: string;
  hotShare: string;
  phaseLength: string;
  trace?: string;
  levels?: string;
  nested?: boolean;
  hostPageSize?: string;
  json?: boolean;
}

function buildWorkload(f: SimFlags): Workload {
  const count = Math.round(parseNumber(f.count, '--count'));
  if (f.workload === 'trace' || f.trace) {
    if (!f.trace) throw new InvalidArgumentError('--trace', 'the path of a trace file for --workload trace', f.trace);
    return { kind: 'trace', path: f.trace, count };
  }
  const common = {
    base: BigInt(f.base),
    bytes: parseBytes(f.bytes, '--bytes'),
    count,
    granule: parseBytes(f.granule, '--granule'),
    seed: Math.round(parseNumber(f.seed, '--seed')),
    writeFraction: parseNumber(f.writeFraction, '--write-fraction'),
  };
  const hot = { hotFraction: parseNumber(f.hotFraction, '--hot-fraction'), hotShare: parseNumber(f.hotShare, '--hot-share') };
  switch (f.workload) {
    case 'uniform':
    case 'sequential':
    case 'chase':
      return { ...common, kind: f.workload };
    case 'zipf':
      return { ...common, kind: 'zipf', theta: parseNumber(f.theta, '--theta') };
    case 'strided':
      return { ...common, kind: 'strided', stride: parseBytes(f.stride, '--stride') };
    case 'hotcold':
      return { ...common, kind: 'hotcold', ...hot };
    case 'phases':
      return { ...common, kind: 'phases', ...hot, phaseLength: Math.round(parseNumber(f.phaseLength, '--phase-length')) };
    default:
      throw new InvalidArgumentError('--workload', `one of ${WORKLOAD_KINDS.join(', ')}`, f.workload);
  }
}

function pct(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(2)}%` : '-';
}

function tableRows(stats: SimStats[], baseline: SimStats): [string, ...string[]][] {
  const col = (fn: (s: SimStats) => string): string[] => stats.map(fn);
  return [
    ['accesses', ...col((s) => String(s.accesses))],
    ['L1 miss rate', ...col((s) => pct(s.l1.totalMisses, s.accesses))],
    ['L2 (last level) miss rate', ...col((s) => pct(s.l2.totalMisses, s.accesses))],
    ['walks', ...col((s) => String(s.walks.walks))],
    ['refs per walk', ...col((s) => s.walks.refsPerWalk.toFixed(2))],
    ['walk refs from DRAM', ...col((s) => pct(s.walks.dramRefs, s.walks.refs))],
    ['PDE walk-cache hit rate', ...col((s) => pct(s.walks.walkCaches.pde.hits, s.walks.walkCaches.pde.lookups))],
    ['translation cycles/access', ...col((s) => s.cycles.translationPerAccess.toFixed(2))],
    ['L2 reach used (MiB)', ...col((s) => (s.l2.reach.usedBytes / 2 ** 20).toFixed(1))],
    ['page-table memory (KiB)', ...col((s) => (s.memory.pageTableBytes / 1024).toFixed(0))],
    ['faults (unmapped)', ...col((s) => String(s.faults))],
    ['predicted speedup', ...col((s) => `${predictSpeedup(baseline, s).toFixed(3)}x`)],
  ];
}

function render(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function registerSimCommand(program: Command): void {
  program
    .command('sim')
    .description('Simulate TLBs and page walks for a workload at one or more page sizes')
    .option('--preset <name>', `machine preset (${'zen4-vm, zen2, zen3, zen5, golden-cove, sapphire-rapids, haswell, champsim'})`, 'zen4-vm')
    .option('--workload <kind>', `access pattern: ${WORKLOAD_KINDS.join(', ')}`, 'uniform')
    .option('--bytes <size>', 'working-set size (e.g. 1g, 512m)', '1g')
    .option('--count <n>', 'number of accesses (for a trace: maximum, 0 = all)', '2000000')
    .option('--page-size <list>', 'page sizes to compare, comma separated (4k,2m,1g)', '4k,2m')
    .option('--base <addr>', 'start address of the mapped region', String(2 ** 40))
    .option('--granule <size>', 'access size and alignment', '8')
    .option('--seed <n>', 'random seed', '1')
    .option('--write-fraction <f>', 'fraction of writes', '0')
    .option('--theta <t>', 'zipf exponent', '0.99')
    .option('--stride <size>', 'stride for --workload strided', '4096')
    .option('--hot-fraction <f>', 'hot part of the range (hotcold, phases)', '0.1')
    .option('--hot-share <f>', 'share of accesses to the hot part (hotcold, phases)', '0.9')
    .option('--phase-length <n>', 'accesses per phase (phases)', '1000000')
    .option('--trace <file>', 'replay a trace file ("[R|W] <address>" per line) instead of a generator')
    .option('--levels <n>', 'page-table levels (4 or 5)')
    .option('--nested', 'simulate nested (virtualized) walks')
    .option('--no-nested', 'simulate native walks')
    .option('--host-page-size <size>', 'host page size in nested mode (4k, 2m, 1g)')
    .option('--json', 'print JSON instead of a table')
    .action(async (flags: SimFlags) => {
      if (!presetNames().includes(flags.preset)) {
        throw new InvalidArgumentError('--preset', `one of ${presetNames().join(', ')}`, flags.preset);
      }
      const sizes = flags.pageSize.split(',').map((s) => s.trim().toLowerCase());
      for (const s of sizes) {
        if (!(PAGE_SIZES as readonly string[]).includes(s)) throw new InvalidArgumentError('--page-size', 'a list of 4k, 2m, 1g', flags.pageSize);
      }
      const options: TlbSimulatorOptions = { preset: flags.preset };
      if (flags.levels !== undefined) options.levels = parseNumber(flags.levels, '--levels') as 4 | 5;
      if (flags.nested !== undefined || flags.hostPageSize !== undefined) {
        options.nested = { enabled: flags.nested ?? true, ...(flags.hostPageSize ? { hostPageSize: flags.hostPageSize as PageSize } : {}) };
      }
      const workload = buildWorkload(flags);
      const mapBytes = parseBytes(flags.bytes, '--bytes');
      const results: SimStats[] = [];
      let machine = '';
      for (const size of sizes as PageSize[]) {
        const sim = new TlbSimulator(options);
        machine = sim.config.name + (sim.config.nested.enabled ? ` (nested, host ${sim.config.nested.hostPageSize})` : '');
        const unit = { '4k': 4096, '2m': 2 ** 21, '1g': 2 ** 30 }[size];
        sim.map(BigInt(flags.base), Math.ceil(mapBytes / unit) * unit, size);
        results.push(await sim.run(workload));
      }
      const baseline = results[0];
      if (!baseline) return;
      if (flags.json) {
        process.stdout.write(
          JSON.stringify({ machine, workload, pageSizes: sizes, stats: results, speedup: results.map((r) => predictSpeedup(baseline, r)) }, (_k, v: unknown) =>
            typeof v === 'bigint' ? v.toString() : v,
          ) + '\n',
        );
        return;
      }
      process.stdout.write(`machine ${machine}, workload ${workload.kind}${workload.kind === 'trace' ? ` ${workload.path}` : ` over ${flags.bytes}`}\n`);
      process.stdout.write(render(['metric', ...sizes], tableRows(results, baseline)) + '\n');
    });
}
