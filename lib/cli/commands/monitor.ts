// `thp-autotune monitor [--pid N | [--] [node] script.js ...] [--config tuner.yaml]`: a live
// view refreshed each aggregation: a heat line of the monitored memory, the hottest regions,
// huge-page bytes and, when tuning, the goal score, effective quota and bytes collapsed.
import type { Command } from 'commander';
import { loadTunerConfig } from '../../config/file.js';
import { InvalidArgumentError } from '../../errors.js';
import { monitorSession } from '../../record/monitor-session.js';
import { toJson } from '../style/output.js';
import { durationFlagMs, targetFromFlags, withTargetOptions, type TargetFlags } from './flags.js';

interface MonitorFlags extends TargetFlags {
  config?: string;
  refresh: string;
  json?: boolean;
}

export function registerMonitorCommand(program: Command): void {
  withTargetOptions(program.command('monitor').description('Watch a process (--pid) or a Node script run here live: heat line, hottest regions, huge pages; with --config, tune it too'), 'watch')
    .option('--config <file>', 'tune while watching, with these tuner options (JSON or YAML, as for tune; its monitoring replaces --sample and --aggregation)')
    .option('--refresh <duration>', 'shortest time between two screens', '250ms')
    .option('--json', 'print each refresh as one JSON line (the snapshot and tuner state) instead of a screen')
    .addHelpText('after', '\nExamples:\n  thp-autotune monitor -- node app.js\n  thp-autotune monitor --config tuner.yaml --duration 1min app.js\n  sudo thp-autotune monitor --pid 4242')
    .action(async (command: string[], flags: MonitorFlags) => {
      if (flags.config !== undefined && flags.source !== undefined) throw new InvalidArgumentError('--source', "absent with --config (the tuner's own source option applies)", flags.source);
      const tty = process.stderr.isTTY === true && !flags.json;
      const reason = await monitorSession({
        ...targetFromFlags(command, flags),
        ...(flags.config !== undefined ? { tuner: await loadTunerConfig(flags.config) } : {}),
        refreshMs: durationFlagMs('--refresh', flags.refresh, 10_000, 3_600_000_000),
        onScreen: (screen, data) => {
          if (flags.json) process.stderr.write(`${toJson({ snapshot: data.recording.snapshots[0], tuning: data.tuning })}\n`);
          else process.stderr.write(tty ? `\x1b[H\x1b[2J${screen}\n` : `${screen}\n\n`);
        },
        onError: (e) => process.stderr.write(`thp-autotune monitor: ${e.message}\n`),
      });
      if (command.length > 0 && reason !== 'exit') process.exit();
    });
}
