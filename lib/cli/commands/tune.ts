// `thp-autotune tune [--config file] [--pid N] [--interval 1s] [--json] [-- script.js args]`:
// the kernel RFC's module in user space. Without --pid it tunes the process it runs in, so it
// runs a Node script in this process after starting the tuner; with --pid it attaches to a
// running process, watched by the kernel's DAMON (root, CONFIG_DAMON_VADDR; the command says
// when this machine lacks it), until that process exits or the command gets SIGINT/SIGTERM.
// Either way it prints the tuner's state every interval.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import type { Command } from 'commander';
import { loadTunerConfig } from '../../config/file.js';
import type { TunerOptions } from '../../config/options.js';
import { ThpError } from '../../errors.js';
import { HugepageTuner, type TunerStats } from '../../tuner/hugepage-tuner.js';
import { formatBytes } from '../../units/bytes.js';
import { durationToUs } from '../../units/duration.js';

/** One status line: what was collapsed, skipped and what the quota allows now. */
export function formatTunerStatus(s: TunerStats): string {
  return s.schemes
    .map((scheme, i) => {
      const u = scheme.stats.units;
      return (
        `scheme ${i} (${scheme.action}): collapsed ${u.collapsed}, already huge ${u['already-huge']}, ` +
        `skipped cold ${u['skipped-cold']} bloat ${u['skipped-bloat']} churn ${u['skipped-churn']} refused ${u['skipped-refused'] + u.EINVAL}, ` +
        `tried ${formatBytes(scheme.stats.bytesTried)}, added ${formatBytes(scheme.stats.addedBytes)}, ` +
        `quota ${formatBytes(scheme.effectiveQuotaBytes)}/window, exceeded ${scheme.stats.quotaExceeds}`
      );
    })
    .concat(
      `eligible anonymous ${formatBytes(s.eligibility.eligibleAnonymousBytes)}, ineligible ${formatBytes(s.eligibility.ineligibleAnonymousBytes)}` +
        (s.lastError ? `; last error: ${s.lastError.message}` : ''),
    )
    .join('\n');
}

/**
 * --pid: the printer keeps this process alive; it ends when the target exits (its kdamond
 * stops and the monitor reports it) or on SIGINT/SIGTERM, stopping the tuner first so the
 * kdamond is turned off and given back.
 */
function attachUntilDone(tuner: HugepageTuner, pid: number, printer: NodeJS.Timeout): void {
  let ending = false;
  const end = async (code: number) => {
    if (ending) return;
    ending = true;
    await tuner.stop();
    clearInterval(printer);
    process.exitCode = code;
  };
  tuner.on('error', (e) => {
    process.stderr.write(`thp-autotune tune: ${e.message}\n`);
    if (!existsSync(`/proc/${pid}`)) void end(0);
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void end(0));
}

export function registerTuneCommand(program: Command): void {
  program
    .command('tune')
    .description('Keep hot memory on 2 MiB pages with the HugepageTuner (runs a Node script in this process, or targets --pid)')
    .option('--config <file>', 'tuner options as JSON (.json) or YAML (.yaml/.yml)')
    .option('--pid <pid>', 'tune another process instead of running a script')
    .option('--interval <duration>', 'how often to print the tuner state', '1s')
    .option('--json', 'print the state as one JSON object per line')
    .argument('[script]', 'a Node script to run in this process while it is tuned')
    .argument('[args...]', "the script's arguments")
    .action(async (script: string | undefined, args: string[], opts: { config?: string; pid?: string; interval: string; json?: boolean }) => {
      try {
        const options: TunerOptions = opts.config ? await loadTunerConfig(opts.config) : {};
        if (opts.pid !== undefined) options.pid = Number(opts.pid);
        const intervalMs = durationToUs('--interval', opts.interval, 10_000, 3_600_000_000) / 1000;
        if (script === undefined && opts.pid === undefined) throw new Error('give a script to run under the tuner, or --pid');
        const tuner = new HugepageTuner(options);
        const print = () => {
          const s = tuner.stats();
          process.stderr.write(opts.json ? `${JSON.stringify(s, (_k, v: unknown) => (v instanceof Error ? v.message : v))}\n` : `${formatTunerStatus(s)}\n`);
        };
        const printer = setInterval(print, intervalMs);
        tuner.start();
        if (opts.pid !== undefined && script === undefined) {
          attachUntilDone(tuner, Number(opts.pid), printer);
        } else {
          printer.unref();
        }
        if (script !== undefined) {
          process.argv = [process.argv[0] as string, path.resolve(script), ...args];
          await import(pathToFileURL(path.resolve(script)).href);
        }
      } catch (e) {
        process.stderr.write(`thp-autotune tune: ${e instanceof ThpError || e instanceof Error ? e.message : String(e)}\n`);
        process.exitCode = 1;
      }
    });
}
