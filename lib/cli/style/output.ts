// How every command writes: results on stdout (a table or, with --json, one JSON document),
// status lines on stderr with a timestamp (JSON lines with a `time` field under --json), and
// errors as one line naming the flag. Colour only on a terminal and never with NO_COLOR.
import { InvalidArgumentError } from '../../errors.js';

export type Paint = 'good' | 'bad' | 'note';

const SGR: Record<Paint, string> = { good: '32', bad: '31', note: '2' };

/** Whether `stream` may get colour: a TTY, NO_COLOR unset or empty (no-color.org), TERM not "dumb". */
export function colorAllowed(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env['NO_COLOR'] && env['TERM'] !== 'dumb';
}

/**
 * JSON that never throws on a bigint or an Error: a bigint (an address, an inode) is written as
 * a decimal string, exact at any size (a JSON number past 2^53 is not, in most readers), in
 * every command's --json output alike (docs/cli.md); an Error as its message.
 */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Error ? v.message : v), indent);
}

export interface Output {
  readonly json: boolean;
  /** A line of the human-readable result on stdout (nothing under --json). */
  line(text: string): void;
  /** The result under --json: one JSON document on stdout. */
  result(value: unknown): void;
  /** A progress or status line on stderr: `HH:MM:SS.mmm text`, or under --json `{time, ...fields}` as one line. */
  status(text: string, fields: Record<string, unknown>): void;
  /** `text` in a colour where colour is allowed (stdout's terminal). */
  paint(kind: Paint, text: string): string;
}

export function createOutput(json: boolean, now: () => Date = () => new Date()): Output {
  const color = colorAllowed(process.stdout);
  const errColor = colorAllowed(process.stderr);
  return {
    json,
    line: (text) => {
      if (!json) process.stdout.write(`${text}\n`);
    },
    result: (value) => {
      process.stdout.write(`${toJson(value, 2)}\n`);
    },
    status: (text, fields) => {
      const time = now();
      if (json) {
        process.stderr.write(`${toJson({ time: time.toISOString(), ...fields })}\n`);
      } else {
        const stamp = time.toISOString().slice(11, 23);
        process.stderr.write(`${errColor ? `\x1b[${SGR.note}m${stamp}\x1b[0m` : stamp} ${text}\n`);
      }
    },
    paint: (kind, text) => (color ? `\x1b[${SGR[kind]}m${text}\x1b[0m` : text),
  };
}

/**
 * The message of an error in the command's words: an InvalidArgumentError about an API
 * option the command set from a flag (`workload.theta`) names the flag (`--theta`) instead.
 */
export function messageFor(error: unknown, flags: Readonly<Record<string, string>> = {}): string {
  if (error instanceof InvalidArgumentError) {
    const flag = flags[error.field];
    if (flag !== undefined) return `${flag}${error.message.slice(error.field.length)}`;
  }
  const { code, path } = (error ?? {}) as { code?: unknown; path?: unknown };
  if (error instanceof Error && typeof code === 'string' && typeof path === 'string') {
    // Node's "ENOENT: no such file or directory, open 'x'" as "cannot read x: no such file or directory".
    const reason = /^[A-Z]+: ([^,]+)/.exec(error.message)?.[1] ?? code;
    return `cannot read ${path}: ${reason}`;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

/** One error line on stderr (`thp-autotune sim: --theta must be ...`), or `{"error": {...}}` under --json. */
export function writeError(command: string, message: string, exitCode: number, code: string | undefined, json: boolean): void {
  if (json) {
    process.stderr.write(`${toJson({ error: { message, exitCode, ...(code !== undefined && { code }) } })}\n`);
    return;
  }
  const prefix = `${command}:`;
  process.stderr.write(`${colorAllowed(process.stderr) ? `\x1b[${SGR.bad}m${prefix}\x1b[0m` : prefix} ${message}\n`);
}
