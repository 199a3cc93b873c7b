// The thp-autotune command line (damo-like). Each subcommand lives in lib/cli/commands/.
import { Command } from 'commander';
import { registerDemoCommand } from './commands/demo.js';
import { registerSysinfoCommand } from './commands/sysinfo.js';
import { registerSimCommand } from './commands/sim.js';
import { registerTuneCommand } from './commands/tune.js';
import { registerRecordCommand } from './commands/record.js';
import { registerReportCommand } from './commands/report.js';
import { registerAdviseCommand } from './commands/advise.js';
import { registerMonitorCommand } from './commands/monitor.js';

export function buildProgram(): Command {
  const program = new Command('thp-autotune')
    .description('Monitor data access and keep hot memory on transparent huge pages')
    .showHelpAfterError()
    // Options after a script's name are the script's (record, monitor).
    .enablePositionalOptions();
  registerSysinfoCommand(program);
  registerDemoCommand(program);
  registerSimCommand(program);
  registerTuneCommand(program);
  registerRecordCommand(program);
  registerReportCommand(program);
  registerAdviseCommand(program);
  registerMonitorCommand(program);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  await buildProgram().parseAsync(argv);
}
