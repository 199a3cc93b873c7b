// Tuner configuration files: JSON (.json) or YAML (.yaml/.yml), validated by the same schema
// as the constructor's options.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { FormatError, InvalidArgumentError } from '../errors.js';
import { normalizeTunerOptions, type TunerOptions } from './options.js';

/** Parses and validates configuration text (throws naming the bad field); returns the options as written, for `new HugepageTuner()`. */
export function parseTunerConfig(text: string, format: 'json' | 'yaml'): TunerOptions {
  let raw: unknown;
  try {
    raw = format === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new FormatError(`configuration (${format})`, (e as Error).message);
  }
  if (raw !== null && typeof raw === 'object' && 'signal' in raw) throw new InvalidArgumentError('signal', 'absent in a configuration file', (raw as { signal: unknown }).signal);
  normalizeTunerOptions(raw ?? {});
  return (raw ?? {}) as TunerOptions;
}

/** Reads and validates a .json, .yaml or .yml configuration file. */
export async function loadTunerConfig(file: string): Promise<TunerOptions> {
  const ext = extname(file).toLowerCase();
  const format = ext === '.json' ? 'json' : ext === '.yaml' || ext === '.yml' ? 'yaml' : null;
  if (format === null) throw new InvalidArgumentError('config', 'a file ending in .json, .yaml or .yml', file);
  return parseTunerConfig(await readFile(file, 'utf8'), format);
}
