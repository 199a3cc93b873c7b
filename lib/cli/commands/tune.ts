// `thp-autotune tune [--config file] [--pid N] [--interval 1s] [--json] [script args...]`:
// the kernel RFC's module in user space. Without --pid it tunes the process it runs in, so it
// runs a Node script in this process after starting the tuner; with --pid it attaches to a
// running process, watched by the kernel's DAMON (root, CONFIG_DAMON_VADDR; the command says
// when this machine lacks it), until that process exits or the command gets SIGINT/SIGTERM.
// Either way it prints a timestamped status line every interval.
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { loadTunerConfig } from '../../config/file.js';
import type { NormalizedTunerOptions, TunerOptions } from '../../config/options.js';
import { NoSuchProcessError } from '../../errors.js';
import { HugepageTuner, type TunerStats } from '../../tuner/hugepage-tuner.js';
import type { QuotaReport } from '../../tuner/index.js';
import { formatBytes } from '../../units/bytes.js';
import { durationToUs } from '../../units/duration.js';
import { hugepageUsage, type HugepageUsage } from '../../procfs/index.js';
import { ExitCode, UsageError, defineCommand, durationFlag, writeError, type Output } from '../style/index.js';

interface TuneFlags {
  config?: string;
  pid?: string;
  interval: string;
  json?: boolean;
}

const percent = (bp: number) => `${(bp / 100).toFixed(1)}%`;

/**
 * One status line: the share of the target's anonymous memory on huge pages, each scheme's
 * goal score (the kernel RFC's metric) and quota, what was collapsed and skipped, and what of
 * the memory can be helped at all.
 */
export function formatTunerStatus(s: TunerStats, options: NormalizedTunerOptions, usage: HugepageUsage | null, quotas: ReadonlyMap<number, QuotaReport>): string {
  const huge = usage === null ? 'huge pages: unknown' : `huge ${formatBytes(usage.anonHugeBytes)} of ${formatBytes(usage.anonymousBytes)} anonymous (${percent(usage.hugeRatioBasisPoints)})`;
  const schemes = s.schemes.map((scheme, i) => {
    const u = scheme.stats.units;
    const q = quotas.get(i);
    const goals = (options.schemes[i]?.quota.goals ?? []).map((g) => `${g.metric} ${g.target}`).join(', ');
    const score = q === undefined || q.score === null ? 'no score yet' : `score ${percent(q.score)}${q.score >= 10_000 ? ' (met)' : ''}`;
    const goal = goals === '' ? 'no goal' : `goal ${goals}: ${score}`;
    return (
      `scheme ${i} (${scheme.action}): ${goal}, quota ${formatBytes(scheme.effectiveQuotaBytes)}/window; ` +
      `collapsed ${u.collapsed}, already huge ${u['already-huge']}, skipped cold ${u['skipped-cold']} unprobed ${u['skipped-unprobed']} bloat ${u['skipped-bloat']} ` +
      `churn ${u['skipped-churn']} refused ${u['skipped-refused'] + u.EINVAL}; tried ${formatBytes(scheme.stats.bytesTried)}, added ${formatBytes(scheme.stats.addedBytes)}`
    );
  });
  const eligible =
    `eligible ${formatBytes(s.eligibility.eligibleAnonymousBytes)}, ineligible ${formatBytes(s.eligibility.ineligibleAnonymousBytes)}` +
    (s.aggregations === 0 ? ' (monitor warming up)' : '') +
    (s.lastError ? `; last error: ${s.lastError.message}` : '');
  return [huge, ...schemes, eligible].join('; ');
}

/** Flag text of --pid as the API takes it (an integer, or the text for the API to refuse). */
function pidOption(text: string): number | string {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : text;
}

/** The script's own frames: the tuner's bundle and node's loader are no concern of its author. */
function scriptStack(error: unknown): string {
  if (!(error instanceof Error) || error.stack === undefined) return `the script threw ${String(error)}`;
  const own = fileURLToPath(import.meta.url);
  return error.stack
    .split('\n')
    .filter((line) => !/^\s+at /.test(line) || !(line.includes('node:internal') || line.includes(own)))
    .join('\n');
}

/**
 * Prints the status every interval (skipping a tick while the previous one still reads
 * /proc). Under --pid it keeps this process alive; otherwise the script's own work does.
 */
function startPrinter(out: Output, tuner: HugepageTuner, pid: number | 'self', intervalMs: number): NodeJS.Timeout {
  const quotas = new Map<number, QuotaReport>();
  tuner.on('quota', (q) => quotas.set(q.scheme, q));
  let busy = false;
  const print = async () => {
    if (busy) return;
    busy = true;
    const usage = await hugepageUsage(pid === 'self' ? {} : { pid }).catch(() => null);
    busy = false;
    const s = tuner.stats();
    out.status(formatTunerStatus(s, tuner.options, usage, quotas), { usage, goals: [...quotas.values()], ...s });
  };
  return setInterval(() => void print(), intervalMs);
}

/**
 * --pid: runs until the target exits (its kdamond stops and the monitor reports it) or on
 * SIGINT/SIGTERM, stopping the tuner first so the kdamond is turned off and given back.
 */
function attachUntilDone(out: Output, tuner: HugepageTuner, pid: number, printer: NodeJS.Timeout): void {
  let ending = false;
  const end = async () => {
    if (ending) return;
    ending = true;
    await tuner.stop();
    clearInterval(printer);
  };
  tuner.on('error', (e) => {
    out.status(`error: ${e.message}`, { error: e.message });
    access(`/proc/${pid}`).catch(() => end());
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void end());
}

export function registerTuneCommand(program: Command): void {
  defineCommand<TuneFlags>(program, {
    name: 'tune',
    description: 'Keep hot memory on 2 MiB pages with the HugepageTuner (runs a Node script in this process, or targets --pid)',
    examples: [
      ['tune app.js', 'run app.js under the tuner with the default options, a status line every second'],
      ['tune --config tuner.yaml --interval 5s server.js --port 8080', 'options from a file; the script gets its own arguments'],
      ['tune --json app.js 2> status.jsonl', 'status lines as JSON on stderr'],
      ['tune --pid 4242 --config tuner.yaml', 'tune a running process (root, kernel DAMON) until it exits or Ctrl-C'],
    ],
    flags: { pid: '--pid' },
    run: async (out, flags, operands) => {
      const script = operands[0] as string | undefined;
      const args = (operands[1] ?? []) as string[];
      const intervalMs = durationToUs('--interval', durationFlag(flags.interval), 10_000, 3_600_000_000) / 1000;
      if (flags.pid !== undefined && script !== undefined) {
        throw new UsageError('--pid and a script exclude each other: give a script to run under the tuner in this process, or --pid N to tune a running process');
      }
      if (flags.pid === undefined && script === undefined) throw new UsageError('give a script to run under the tuner, or --pid N (see thp-autotune tune --help)');
      const options: TunerOptions = flags.config !== undefined ? await loadTunerConfig(flags.config) : {};
      if (flags.pid !== undefined) {
        // A pid that is not a number goes to the API as written, which refuses it naming the field.
        options.pid = pidOption(flags.pid) as number;
        if (typeof options.pid === 'number' && options.pid > 0) {
          // Before anything else: a pid that is gone matters more than a feature this machine lacks.
          await access(`/proc/${options.pid}`).catch(() => {
            throw new NoSuchProcessError(options.pid as number);
          });
        }
      }
      const scriptPath = script === undefined ? undefined : path.resolve(script);
      if (
        scriptPath !== undefined &&
        !(await stat(scriptPath).then(
          (s) => s.isFile(),
          () => false,
        ))
      ) {
        throw new UsageError(`the script ${script} is not a file (resolved to ${scriptPath})`);
      }
      const tuner = new HugepageTuner(options);
      const printer = startPrinter(out, tuner, options.pid ?? 'self', intervalMs);
      tuner.start();
      if (scriptPath === undefined) {
        attachUntilDone(out, tuner, options.pid as number, printer);
        return;
      }
      printer.unref();
      process.argv = [process.argv[0] as string, scriptPath, ...args];
      try {
        await import(pathToFileURL(scriptPath).href);
      } catch (error) {
        clearInterval(printer);
        await tuner.stop();
        writeError('thp-autotune tune', scriptStack(error), ExitCode.failure, 'ERR_SCRIPT', out.json);
        process.exitCode = ExitCode.failure;
      }
    },
  })
    .option('--config <file>', 'tuner options as JSON (.json) or YAML (.yaml/.yml)')
    .option('--pid <pid>', 'tune another (running) process instead of running a script')
    .option('--interval <duration>', "how often to print the tuner's status (500ms, 5s; a number is milliseconds)", '1s')
    // Everything after the script belongs to it, flags included.
    .passThroughOptions()
    .argument('[script]', 'a Node script to run in this process while it is tuned')
    .argument('[args...]', "the script's arguments");
}
