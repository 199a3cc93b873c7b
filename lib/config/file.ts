// Tuner configuration files: JSON (.json) or YAML (.yaml/.yml), validated by the same schema
// as the constructor's options. Files are bounded before they are parsed (size, then
// structure), so a wrong path (/dev/zero) or a hostile file cannot exhaust memory or block the
// event loop: a real configuration is a few KiB with a few hundred entries.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import { FormatError, InvalidArgumentError } from '../errors.js';
import { normalizeTunerOptions, type TunerOptions } from './options.js';

/** The largest configuration file read. */
export const MAX_CONFIG_BYTES = 2 ** 20;
/** The most values (objects, arrays, scalars, keys included) a configuration may hold. */
export const MAX_CONFIG_NODES = 5000;
/** The deepest nesting a configuration may have (the schema itself needs 6 levels). */
export const MAX_CONFIG_DEPTH = 32;
/** The most YAML alias expansions (each may copy a whole subtree). */
const MAX_YAML_ALIASES = 64;
/**
 * Every YAML or JSON node but the root is introduced by one of these characters, so more of
 * them than this cannot be a configuration. Checked before parsing: the yaml library spends
 * about 15 µs per node, on the JS thread.
 */
const MAX_STRUCTURE_CHARS = 4 * MAX_CONFIG_NODES;
const STRUCTURE_CHARS = new Set([...'\n,:-[{'].map((c) => c.charCodeAt(0)));

/** Parses and validates configuration text (throws naming the bad field); returns the options as written, for `new HugepageTuner()`. */
export function parseTunerConfig(text: string, format: 'json' | 'yaml'): TunerOptions {
  checkStructureChars(text, format);
  let raw: unknown;
  try {
    raw = format === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    if (e instanceof FormatError) throw e;
    throw new FormatError(`configuration (${format})`, (e as Error).message);
  }
  checkShape(raw, format);
  if (raw !== null && typeof raw === 'object' && 'signal' in raw) throw new InvalidArgumentError('signal', 'absent in a configuration file', (raw as { signal: unknown }).signal);
  normalizeTunerOptions(raw ?? {});
  return (raw ?? {}) as TunerOptions;
}

/** Reads and validates a .json, .yaml or .yml configuration file: a regular file of at most MAX_CONFIG_BYTES. */
export async function loadTunerConfig(file: string): Promise<TunerOptions> {
  const ext = extname(file).toLowerCase();
  const format = ext === '.json' ? 'json' : ext === '.yaml' || ext === '.yml' ? 'yaml' : null;
  if (format === null) throw new InvalidArgumentError('config', 'a file ending in .json, .yaml or .yml', file);
  return parseTunerConfig(await readBounded(file), format);
}

// Opens without blocking (a FIFO would wait for a writer), checks the open file itself (no
// race with a rename), and reads one byte past the limit so a file that grew is noticed.
async function readBounded(file: string): Promise<string> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new InvalidArgumentError('config', 'a regular file (not a device, directory, FIFO or socket)', file);
    const tooLarge = (bytes: string) => new InvalidArgumentError('config', `a file of at most ${MAX_CONFIG_BYTES} bytes`, `${file} (${bytes})`);
    if (stat.size > MAX_CONFIG_BYTES) throw tooLarge(`${stat.size} bytes`);
    const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > MAX_CONFIG_BYTES) throw tooLarge('more bytes than its size said');
    }
    return buffer.toString('utf8', 0, length);
  } finally {
    await handle.close();
  }
}

function tooComplex(format: string, detail: string): FormatError {
  return new FormatError(`configuration (${format})`, `${detail}; a configuration holds at most ${MAX_CONFIG_NODES} values nested at most ${MAX_CONFIG_DEPTH} deep`);
}

function checkStructureChars(text: string, format: string): void {
  let count = 0;
  for (let i = 0; i < text.length; i++) if (STRUCTURE_CHARS.has(text.charCodeAt(i)) && ++count > MAX_STRUCTURE_CHARS) throw tooComplex(format, `more than ${MAX_STRUCTURE_CHARS} lines and separators`);
}

/** Counts the parsed values (iteratively: no recursion on hostile depth) against the limits. */
function checkShape(raw: unknown, format: string): void {
  const stack: [unknown, number][] = [[raw, 1]];
  let nodes = 0;
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (++nodes > MAX_CONFIG_NODES) throw tooComplex(format, `more than ${MAX_CONFIG_NODES} values`);
    if (depth > MAX_CONFIG_DEPTH) throw tooComplex(format, `nesting deeper than ${MAX_CONFIG_DEPTH}`);
    if (typeof value !== 'object' || value === null) continue;
    const children = Array.isArray(value) ? value : Object.entries(value).flat();
    for (const child of children) stack.push([child, depth + 1]);
  }
}

/**
 * YAML without the library's duplicate-key check, which compares every key with every
 * earlier one (quadratic: 200,000 keys blocked the event loop for minutes); duplicates are
 * found here with a set per mapping instead.
 */
function parseYaml(text: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0) throw new FormatError('configuration (yaml)', doc.errors[0]!.message);
  rejectDuplicateKeys(doc.contents);
  return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
}

function rejectDuplicateKeys(root: YamlNode | null): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (seen.has(key)) throw new FormatError('configuration (yaml)', `map keys must be unique; ${String(key).slice(0, 80)} repeats`);
        seen.add(key);
        stack.push(pair.key, pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
    // An alias's target is checked where it is defined.
  }
}
