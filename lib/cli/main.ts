// The thp-autotune command line (damo-like). Each subcommand lives in lib/cli/commands/ and
// takes the shared style (lib/cli/style/: --json, --help examples, one-line errors, exit codes)
// from defineCommand().
import { Command } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { registerDemoCommand } from './commands/demo.js';
import { registerSysinfoCommand } from './commands/sysinfo.js';
import { registerSimCommand } from './commands/sim.js';
import { registerTuneCommand } from './commands/tune.js';
import { exitCodeOfParse, styleUsageErrors } from './style/index.js';

export function buildProgram(): Command {
  const program = new Command('thp-autotune')
    .description('Monitor data access and keep hot memory on transparent huge pages')
    .version(packageJson.version, '-V, --version', 'print the version')
    .enablePositionalOptions()
    .exitOverride();
  styleUsageErrors(program);
  registerSysinfoCommand(program);
  registerDemoCommand(program);
  registerSimCommand(program);
  registerTuneCommand(program);
  return program;
}

/** Runs the command line; never rejects: the outcome is process.exitCode (docs/cli.md, "Exit codes"). */
export async function main(argv: string[] = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    process.exitCode = exitCodeOfParse(error);
  }
}
