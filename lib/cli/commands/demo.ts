// `thp-autotune demo`: the main job on an embedded default. Prints the capability summary,
// then measures random reads over a buffer on 4 KiB pages and again after MADV_COLLAPSE.
import type { Command } from 'commander';
import { capabilities } from '../../capabilities/index.js';
import { runTlbDemo } from '../../demo/index.js';
import { InvalidArgumentError } from '../../errors.js';
import { parseBytes } from '../../units/index.js';
import { defineCommand, numberFlag } from '../style/index.js';
import { formatSysinfo } from './sysinfo.js';

function integerFlag(flag: string, text: string, max: number): number {
  const value = numberFlag(flag, text);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new InvalidArgumentError(flag, `an integer from 1 to ${max}`, value);
  return value;
}

function sizeFlag(text: string): number {
  const bytes = parseBytes(text, '--size');
  if (bytes < 2 ** 21 || bytes % 2 ** 21 !== 0) throw new InvalidArgumentError('--size', 'a multiple of 2M, at least 2M', text);
  return bytes;
}

export function registerDemoCommand(program: Command): void {
  defineCommand<{ size?: string; accesses: string; rounds: string; json?: boolean }>(program, {
    name: 'demo',
    description: 'Show what 2 MiB pages do for random reads: time a buffer on 4 KiB pages, collapse it with MADV_COLLAPSE, time it again',
    examples: [
      ['demo', '4 GiB (less when memory is short), 3 rounds of 10,000,000 reads per page size'],
      ['demo --size 1G --rounds 5', 'a smaller buffer, more rounds'],
      ['demo --json', 'the measurements as JSON'],
    ],
    run: async (out, options) => {
      const bytes = options.size === undefined ? undefined : sizeFlag(options.size);
      const accesses = integerFlag('--accesses', options.accesses, 2 ** 32);
      const rounds = integerFlag('--rounds', options.rounds, 100);
      const report = await capabilities();
      out.line('What this machine supports:\n' + formatSysinfo(report, out.paint));
      const result = await runTlbDemo({ ...(bytes !== undefined && { bytes }), accesses, rounds, log: out.line, capabilities: report });
      if (out.json) out.result(result);
    },
  })
    .option('--size <bytes>', 'buffer size, e.g. 1G (default 4G, less when memory is short)')
    .option('--accesses <n>', 'random reads per timing round', '10000000')
    .option('--rounds <n>', 'timing rounds per page size (median reported)', '3');
}
