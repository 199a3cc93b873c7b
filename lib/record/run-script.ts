// Running a Node script inside the recording process: the pagemap source sees this process
// only, so a script is recorded by running it here, as `tune` does.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidArgumentError } from '../errors.js';

/**
 * The script and its arguments from a command line: `app.js a b` or `node app.js a b` (the
 * `node` is this process). Any other program cannot be recorded without the kernel's DAMON.
 */
export function scriptOf(command: string[]): { script: string; args: string[] } {
  const [first, ...rest] = command;
  const isNode = first !== undefined && (first === 'node' || first === process.execPath || path.basename(first) === 'node');
  const [script, ...args] = isNode ? rest : command;
  if (script === undefined || script.startsWith('-')) {
    throw new InvalidArgumentError('command', 'a Node script and its arguments (app.js ... or node app.js ...; node options are not supported)', command.join(' '));
  }
  return { script, args };
}

/** Imports `script` as the main program of this process, with `args` as its arguments. */
export async function runScript(script: string, args: string[]): Promise<void> {
  const resolved = path.resolve(script);
  process.argv = [process.argv[0] as string, resolved, ...args];
  await import(pathToFileURL(resolved).href);
}
