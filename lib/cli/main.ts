// The thp-autotune command line (damo-like). Each subcommand lives in lib/cli/commands/.
import { Command } from 'commander';

export function buildProgram(): Command {
  const program = new Command('thp-autotune')
    .description('Monitor data access and keep hot memory on transparent huge pages')
    .showHelpAfterError();
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  await buildProgram().parseAsync(argv);
}
