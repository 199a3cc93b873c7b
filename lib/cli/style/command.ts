// One call gives a command the shared style: `--json`, `--help` with examples, errors as one
// line naming the flag, exit codes from ./exit-codes.ts. Commands under lib/cli/commands/
// declare themselves with defineCommand() and add their own options to what it returns.
import { CommanderError, type Command } from 'commander';
import { ExitCode, exitCodeFor } from './exit-codes.js';
import { createOutput, messageFor, writeError, type Output } from './output.js';

export interface CommandSpec<Options> {
  name: string;
  description: string;
  /** Shown under "Examples:" in --help: [command line without the program name, what it does]. */
  examples: ReadonlyArray<readonly [string, string]>;
  /**
   * API option paths this command sets from flags, and the flag that sets each
   * (`{ 'workload.theta': '--theta' }`): an InvalidArgumentError about one names the flag.
   */
  flags?: Readonly<Record<string, string>>;
  /** The command's work; `operands` are its declared arguments in order. A throw ends it with the error's exit code. */
  run(out: Output, options: Options, operands: unknown[]): Promise<void>;
}

/** The name the command is called by in messages: `thp-autotune sim`. */
function fullName(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c !== null; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * Commander's own complaints (unknown flag, missing operand) in the same one-line style,
 * pointing at --help instead of dumping it; the caller's parseAsync then throws a
 * CommanderError that main() turns into the usage exit code.
 */
export function styleUsageErrors(command: Command): void {
  command.configureOutput({
    outputError: (text) => {
      const message = text.replace(/^error: /, '').trim();
      writeError(fullName(command), `${message} (see ${fullName(command)} --help)`, ExitCode.usage, 'ERR_USAGE', process.argv.includes('--json'));
    },
  });
}

export function defineCommand<Options extends { json?: boolean }>(parent: Command, spec: CommandSpec<Options>): Command {
  const command = parent.command(spec.name).description(spec.description).option('--json', 'print the result (and status lines, errors) as JSON');
  styleUsageErrors(command);
  const width = Math.max(...spec.examples.map(([line]) => line.length));
  command.addHelpText(
    'after',
    `\nExamples:\n${spec.examples.map(([line, what]) => `  ${`${parent.name()} ${line}`.padEnd(width + parent.name().length + 3)}${what}`).join('\n')}\n` +
      '\nExit codes: 0 done, 1 failed while running, 2 usage error, 3 not supported here, 4 no such process, 5 permission denied, 6 unreadable or malformed input file.\n',
  );
  command.action(async () => {
    const options = command.opts<Options>();
    const out = createOutput(options.json === true);
    try {
      await spec.run(out, options, command.processedArgs);
    } catch (error) {
      const code = exitCodeFor(error);
      const errno = (error as { code?: unknown } | null)?.code;
      writeError(fullName(command), messageFor(error, spec.flags), code, typeof errno === 'string' ? errno : undefined, out.json);
      process.exitCode = code;
    }
  });
  return command;
}

/**
 * The exit code for what the program threw outside any command's run: commander's own
 * (already printed; 0 after --help or --version, the usage code otherwise), or an error
 * while building the commands, printed here.
 */
export function exitCodeOfParse(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  const code = exitCodeFor(error);
  writeError('thp-autotune', messageFor(error), code, undefined, process.argv.includes('--json'));
  return code;
}
