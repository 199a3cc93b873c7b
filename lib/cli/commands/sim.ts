// `thp-autotune sim`: runs a workload through the TLB simulator for one or more page sizes and
// prints the counters side by side (or JSON), with the predicted speedup over the first size.
// Flags are read as numbers, sizes and lists; the simulator's own validation checks their
// ranges, and its errors name the flag (the `flags` map below).
import type { Command } from 'commander';
import { InvalidArgumentError } from '../../errors.js';
import { parseBytes } from '../../units/index.js';
import { PAGE_SIZES, TlbSimulator, WORKLOAD_KINDS, predictSpeedup } from '../../simulator/index.js';
import type { PageSize, SimStats, TlbSimulatorOptions, Workload } from '../../simulator/index.js';
import { defineCommand, numberFlag } from '../style/index.js';

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

/** The simulator's option and workload fields, and the flag that sets each. */
const FLAGS = {
  'options.preset': '--preset',
  'options.levels': '--levels',
  'options.nested.hostPageSize': '--host-page-size',
  'workload.kind': '--workload',
  'workload.path': '--trace',
  'workload.count': '--count',
  'workload.base': '--base',
  'workload.granule': '--granule',
  'workload.bytes': '--bytes',
  'workload.seed': '--seed',
  'workload.writeFraction': '--write-fraction',
  'workload.theta': '--theta',
  'workload.stride': '--stride',
  'workload.hotFraction': '--hot-fraction',
  'workload.hotShare': '--hot-share',
  'workload.phaseLength': '--phase-length',
} as const;

function bigintFlag(flag: string, text: string): bigint {
  try {
    return BigInt(text.trim());
  } catch {
    throw new InvalidArgumentError(flag, 'an integer (decimal, or hexadecimal with 0x)', text);
  }
}

function buildWorkload(f: SimFlags, base: bigint): Workload {
  const count = numberFlag('--count', f.count);
  if (f.workload === 'trace' || f.trace) {
    if (!f.trace) throw new InvalidArgumentError('--trace', 'the path of a trace file for --workload trace', f.trace);
    return { kind: 'trace', path: f.trace, count };
  }
  const common = {
    base,
    bytes: parseBytes(f.bytes, '--bytes'),
    count,
    granule: parseBytes(f.granule, '--granule'),
    seed: bigintFlag('--seed', f.seed),
    writeFraction: numberFlag('--write-fraction', f.writeFraction),
  };
  const hot = { hotFraction: numberFlag('--hot-fraction', f.hotFraction), hotShare: numberFlag('--hot-share', f.hotShare) };
  switch (f.workload) {
    case 'uniform':
    case 'sequential':
    case 'chase':
      return { ...common, kind: f.workload };
    case 'zipf':
      return { ...common, kind: 'zipf', theta: numberFlag('--theta', f.theta) };
    case 'strided':
      return { ...common, kind: 'strided', stride: parseBytes(f.stride, '--stride') };
    case 'hotcold':
      return { ...common, kind: 'hotcold', ...hot };
    case 'phases':
      return { ...common, kind: 'phases', ...hot, phaseLength: numberFlag('--phase-length', f.phaseLength) };
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

/** The machine line: which preset, how its walks are simulated, and why when it is the default. */
function describeMachine(sim: TlbSimulator, flags: SimFlags, nestedChosen: boolean): string {
  const walks = sim.config.nested.enabled ? `nested walks, host pages ${sim.config.nested.hostPageSize}` : 'native walks';
  const defaulted = flags.preset === 'zen4-vm' && !nestedChosen ? ': the default preset, without virtualization; --nested simulates a VM' : '';
  return `${sim.config.name} (${walks}${defaulted})`;
}

export function registerSimCommand(program: Command): void {
  defineCommand<SimFlags>(program, {
    name: 'sim',
    description: 'Simulate TLBs and page walks for a workload at one or more page sizes',
    examples: [
      ['sim', 'uniform reads over 1 GiB, 4 KiB against 2 MiB pages, this machine without virtualization'],
      ['sim --preset zen3 --bytes 16g --page-size 4k,2m,1g', 'another CPU, a larger working set, three page sizes'],
      ['sim --nested --host-page-size 2m', 'as a VM whose host backs it with 2 MiB pages'],
      ['sim --workload zipf --theta 1.1 --bytes 8g --json', 'a skewed pattern, as JSON'],
      ['sim --workload trace --trace accesses.txt --bytes 64g', 'replay recorded addresses ("[R|W] <address>" per line)'],
    ],
    flags: FLAGS,
    run: async (out, flags) => {
      const sizes = flags.pageSize.split(',').map((s) => s.trim().toLowerCase());
      for (const s of sizes) {
        if (!(PAGE_SIZES as readonly string[]).includes(s)) throw new InvalidArgumentError('--page-size', 'a list of 4k, 2m, 1g', flags.pageSize);
      }
      const options: TlbSimulatorOptions = { preset: flags.preset };
      if (flags.levels !== undefined) options.levels = numberFlag('--levels', flags.levels) as 4 | 5;
      // Nested walks only when asked for: the default compares page sizes on this machine as it
      // would run unvirtualized (a nested host on 4 KiB pages hides most of the 2 MiB gain).
      const nestedChosen = flags.nested !== undefined || flags.hostPageSize !== undefined;
      options.nested = nestedChosen ? { enabled: flags.nested ?? true, ...(flags.hostPageSize ? { hostPageSize: flags.hostPageSize as PageSize } : {}) } : { enabled: false };
      const base = bigintFlag('--base', flags.base);
      const workload = buildWorkload(flags, base);
      const mapBytes = parseBytes(flags.bytes, '--bytes');
      const results: SimStats[] = [];
      let machine = '';
      for (const size of sizes as PageSize[]) {
        const sim = new TlbSimulator(options);
        machine = describeMachine(sim, flags, nestedChosen);
        const unit = { '4k': 4096, '2m': 2 ** 21, '1g': 2 ** 30 }[size];
        sim.map(base, Math.ceil(mapBytes / unit) * unit, size);
        results.push(await sim.run(workload));
      }
      const baseline = results[0];
      if (!baseline) return;
      if (out.json) {
        out.result({ machine, workload, pageSizes: sizes, stats: results, speedup: results.map((r) => predictSpeedup(baseline, r)) });
        return;
      }
      out.line(`machine ${machine}, workload ${workload.kind}${workload.kind === 'trace' ? ` ${workload.path}` : ` over ${flags.bytes}`}`);
      out.line(render(['metric', ...sizes], tableRows(results, baseline)));
    },
  })
    .option('--preset <name>', 'machine preset (zen4-vm, zen2, zen3, zen5, golden-cove, sapphire-rapids, haswell, champsim)', 'zen4-vm')
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
    .option('--nested', "simulate nested (virtualized) walks, with the preset's host page size")
    .option('--no-nested', 'simulate native walks (the default)')
    .option('--host-page-size <size>', 'host page size in nested mode (4k, 2m, 1g); implies --nested');
}
