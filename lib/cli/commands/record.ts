// `thp-autotune record [--pid N | [--] [node] script.js args...]`: monitoring snapshots and the
// kernel's huge-page view over time into a recording file (docs/recording-format.md).
import type { Command } from 'commander';
import { formatProgress, recordSession } from '../../record/session.js';
import { toJson } from '../style/output.js';
import { integerFlag, targetFromFlags, withTargetOptions, type TargetFlags } from './flags.js';

interface RecordFlags extends TargetFlags {
  out: string;
  minRegions: string;
  maxRegions: string;
  json?: boolean;
}

export function registerRecordCommand(program: Command): void {
  withTargetOptions(program.command('record').description('Record data-access snapshots and huge-page coverage of a process (--pid) or of a Node script run here'), 'record')
    .option('--out <file>', 'recording file; gzip-compressed when it ends in .gz', 'thp-autotune.jsonl.gz')
    .option('--min-regions <n>', 'fewest monitoring regions', '10')
    .option('--max-regions <n>', 'most monitoring regions', '1000')
    .option('--json', 'print the summary as JSON on stdout')
    .addHelpText('after', '\nExamples:\n  thp-autotune record --duration 30s --out app.jsonl.gz -- node app.js\n  sudo thp-autotune record --pid 4242 --duration 1min')
    .action(async (command: string[], flags: RecordFlags) => {
      const target = targetFromFlags(command, flags);
      const end = await recordSession({
        ...target,
        out: flags.out,
        monitoring: {
          ...target.monitoring,
          minRegions: integerFlag('--min-regions', flags.minRegions, 3, 1_000_000),
          maxRegions: integerFlag('--max-regions', flags.maxRegions, 3, 1_000_000),
        },
        onProgress: (p) => process.stderr.write(process.stderr.isTTY ? `\r${formatProgress(p)}\x1b[K` : `${formatProgress(p)}\n`),
        progressMs: process.stderr.isTTY ? 1000 : 5000,
        onError: (e) => process.stderr.write(`thp-autotune record: ${e.message}\n`),
      });
      if (process.stderr.isTTY) process.stderr.write('\n');
      if (flags.json) process.stdout.write(`${toJson({ out: flags.out, ...end })}\n`);
      else process.stderr.write(`recorded ${end.snapshots} snapshots in ${(end.timeMs / 1000).toFixed(1)} s to ${flags.out} (${end.reason})\n`);
      // A script may still be running (a server): the recording is what was asked for.
      if (command.length > 0 && end.reason !== 'exit') process.exit();
    });
}
