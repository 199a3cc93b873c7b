// Flag values and shared options of the record, report, advise and monitor commands in the package's grammar
// (lib/units), with errors naming the flag.
import type { Command } from 'commander';
import { InvalidArgumentError } from '../../errors.js';
import type { RunTarget } from '../../record/session.js';
import type { OwnMemorySourceKind } from '../../sources/own-memory.js';
import { durationToUs } from '../../units/duration.js';

/** An integer flag in [min, max]. */
export function integerFlag(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) throw new InvalidArgumentError(flag, `an integer from ${min} to ${max}`, text);
  return value;
}

/** A positive number flag in (0, max]. */
export function positiveFlag(flag: string, text: string, max: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0 || value > max) throw new InvalidArgumentError(flag, `a number above 0, at most ${max}`, text);
  return value;
}

/** A duration flag (5ms, 1s, 2min, 250us; a plain number is milliseconds), in milliseconds. */
export function durationFlagMs(flag: string, text: string, minUs: number, maxUs: number): number {
  return durationToUs(flag, text, minUs, maxUs) / 1000;
}

/** A share: '5%' or a fraction from 0 to 1. */
export function shareFlag(flag: string, text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  const value = m ? Number(m[1]) / (m[2] === '%' ? 100 : 1) : NaN;
  if (!(value >= 0 && value <= 1)) throw new InvalidArgumentError(flag, "a share such as '5%' or 0.05 (0 to 100 %)", text);
  return value;
}

/** The flags of a command that runs a Node script here or watches --pid (record, monitor). */
export interface TargetFlags {
  pid?: string;
  duration?: string;
  sample: string;
  aggregation: string;
  source?: string;
}

/** Adds --pid, --duration, --sample, --aggregation and the script argument (whose own options follow its name). */
export function withTargetOptions(command: Command, verb: string): Command {
  return command
    .option('--pid <pid>', `${verb} another process (needs the kernel DAMON: root, CONFIG_DAMON_VADDR)`)
    .option('--duration <duration>', 'stop after this long (e.g. 30s; default: when the program ends, or on Ctrl-C)')
    .option('--sample <duration>', 'sampling interval', '5ms')
    .option('--aggregation <duration>', 'aggregation interval (one snapshot each)', '100ms')
    .option('--source <name>', 'how a script run here is watched: referenced (reads and writes; the default) or pagemap (writes only, per sample)')
    .passThroughOptions()
    .argument('[command...]', 'a Node script and its arguments ([node] app.js ...), run in this process');
}

/** The run target and monitoring intervals from those flags. */
export function targetFromFlags(command: string[], flags: TargetFlags): RunTarget & { source?: OwnMemorySourceKind; monitoring: { sampleInterval: number; aggregationInterval: number } } {
  const source = flags.source;
  if (source !== undefined && (flags.pid !== undefined || (source !== 'referenced' && source !== 'pagemap'))) {
    throw new InvalidArgumentError('--source', flags.pid === undefined ? 'referenced or pagemap' : "absent with --pid (the kernel's DAMON watches another process)", source);
  }
  return {
    command,
    ...(source !== undefined ? { source } : {}),
    ...(flags.pid !== undefined ? { pid: integerFlag('--pid', flags.pid, 1, 4_194_304) } : {}),
    ...(flags.duration !== undefined ? { durationMs: durationFlagMs('--duration', flags.duration, 100_000, 7 * 86_400_000_000) } : {}),
    monitoring: {
      sampleInterval: durationFlagMs('--sample', flags.sample, 1, 3_600_000_000),
      aggregationInterval: durationFlagMs('--aggregation', flags.aggregation, 1, 3_600_000_000),
    },
  };
}
