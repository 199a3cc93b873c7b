// The command-line style shared by every command (docs/cli.md): defineCommand() for a new
// command, the exit codes, output and flag-value helpers.
export { defineCommand, exitCodeOfParse, styleUsageErrors, type CommandSpec } from './command.js';
export { ExitCode, UsageError, exitCodeFor, type ExitCodeValue } from './exit-codes.js';
export { colorAllowed, createOutput, messageFor, toJson, writeError, type Output, type Paint } from './output.js';
export { durationFlag, numberFlag } from './values.js';
