// `thp-autotune demo`: the main job on an embedded default. Prints the capability summary,
// then measures random reads over a buffer on 4 KiB pages and again after MADV_COLLAPSE.
import { InvalidArgumentError as CommanderArgumentError, type Command } from 'commander';
import { capabilities } from '../../capabilities/index.js';
import { runTlbDemo } from '../../demo/index.js';
import { parseBytes } from '../../units/index.js';
import { formatSysinfo } from './sysinfo.js';

function positiveInteger(name: string, max: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1 || value > max) throw new CommanderArgumentError(`${name} must be an integer from 1 to ${max}`);
    return value;
  };
}

function demoSize(text: string): number {
  try {
    const bytes = parseBytes(text, '--size');
    if (bytes < 2 ** 21 || bytes % 2 ** 21 !== 0) throw new Error('--size must be a multiple of 2M, at least 2M');
    return bytes;
  } catch (error) {
    throw new CommanderArgumentError((error as Error).message);
  }
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('show what 2 MiB pages do for random reads: time a buffer on 4 KiB pages, collapse it with MADV_COLLAPSE, time it again')
    .option('--size <bytes>', 'buffer size, e.g. 1G (default 4G, less when memory is short)', demoSize)
    .option('--accesses <n>', 'random reads per timing round', positiveInteger('--accesses', 2 ** 32), 10_000_000)
    .option('--rounds <n>', 'timing rounds per page size (median reported)', positiveInteger('--rounds', 100), 3)
    .option('--json', 'print the measurements as JSON')
    .action(async (options: { size?: number; accesses: number; rounds: number; json?: boolean }) => {
      const log = options.json ? () => {} : (line: string) => process.stdout.write(line + '\n');
      const report = await capabilities();
      log('What this machine supports:\n' + formatSysinfo(report));
      const result = await runTlbDemo({
        ...(options.size !== undefined && { bytes: options.size }),
        accesses: options.accesses,
        rounds: options.rounds,
        log,
        capabilities: report,
      });
      if (options.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    });
}
