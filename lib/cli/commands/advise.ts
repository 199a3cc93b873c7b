// `thp-autotune advise FILE | --pid N`: predict what 2 MiB pages would do for a recorded
// process (or one recorded now for --duration) before acting.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { advise, formatAdvice } from '../../advisor/index.js';
import { InvalidArgumentError } from '../../errors.js';
import { readRecording } from '../../record/reader.js';
import { recordSession } from '../../record/session.js';
import { toJson } from '../style/output.js';
import { durationFlagMs, integerFlag, positiveFlag, shareFlag } from './flags.js';

interface AdviseFlags {
  pid?: string;
  duration: string;
  preset: string;
  nested?: boolean;
  hotRate: string;
  accesses: string;
  calibrate: boolean;
  calibrationBudget: string;
  cyclesPerNs?: string;
  json?: boolean;
}

export function registerAdviseCommand(program: Command): void {
  program
    .command('advise')
    .description('Predict the speedup and memory cost of 2 MiB pages for a recorded process (or record --pid N now), and suggest a tuner configuration')
    .argument('[file]', 'a recording from thp-autotune record')
    .option('--pid <pid>', 'record this process for --duration first (needs the kernel DAMON: root, CONFIG_DAMON_VADDR)')
    .option('--duration <duration>', 'with --pid: how long to record', '20s')
    .option('--preset <name>', 'simulated machine', 'zen4-vm')
    .option('--nested', 'simulate nested (virtualized) page walks')
    .option('--no-nested', 'simulate native page walks')
    .option('--hot-rate <share>', "access rate from which a 2 MiB unit is hot ('5%' or 0.05)", '5%')
    .option('--accesses <n>', 'accesses simulated per layout', '2000000')
    .option('--no-calibrate', "skip the calibration probe (about half a second on buffers of its own) and use the preset's cycles per ns")
    .option('--calibration-budget <duration>', 'wall time the calibration probe may take; more lets it reach larger buffers', '500ms')
    .option('--cycles-per-ns <n>', 'simulated translation cycles per ns of time, instead of calibrating (see docs/record-report-advise.md)')
    .option('--json', 'print the advice as JSON')
    .addHelpText('after', '\nExamples:\n  thp-autotune advise app.jsonl.gz\n  thp-autotune advise app.jsonl.gz --no-calibrate\n  sudo thp-autotune advise --pid 4242 --duration 30s --json')
    .action(async (file: string | undefined, flags: AdviseFlags) => {
      if ((file === undefined) === (flags.pid === undefined)) throw new InvalidArgumentError('file', 'a recording file, or else --pid (one of the two)', file ?? 'neither');
      // Every flag is checked before a --pid recording spends its --duration.
      const options = {
        preset: flags.preset,
        ...(flags.nested !== undefined ? { nested: flags.nested } : {}),
        hotRate: shareFlag('--hot-rate', flags.hotRate),
        accesses: integerFlag('--accesses', flags.accesses, 10_000, 1e9),
        calibration: flags.calibrate ? ('probe' as const) : ('preset' as const),
        calibrationBudgetMs: durationFlagMs('--calibration-budget', flags.calibrationBudget, 50_000, 60_000_000),
        ...(flags.cyclesPerNs !== undefined ? { model: { cyclesPerNs: positiveFlag('--cycles-per-ns', flags.cyclesPerNs, 1e6) } } : {}),
      };
      const live = flags.pid === undefined ? null : { pid: integerFlag('--pid', flags.pid, 1, 4_194_304), durationMs: durationFlagMs('--duration', flags.duration, 1_000_000, 3_600_000_000) };
      let recordingPath = file;
      let scratch: string | null = null;
      try {
        if (live) {
          scratch = await mkdtemp(path.join(tmpdir(), 'thp-advise-'));
          recordingPath = path.join(scratch, 'recording.jsonl.gz');
          await recordSession({ out: recordingPath, ...live });
        }
        const advice = await advise(await readRecording(recordingPath as string), options);
        process.stdout.write(flags.json ? `${toJson(advice)}\n` : `${formatAdvice(advice)}\n`);
      } finally {
        if (scratch) await rm(scratch, { recursive: true, force: true });
      }
    });
}
