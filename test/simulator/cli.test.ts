// `thp-autotune sim` prints a table or JSON for the requested page sizes; its flags are checked
// by the simulator's own validation and errors name the flag.
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../lib/cli/style/index.js';
import { runCli } from '../helpers/cli.js';

const sim = (args: string[]) => runCli(['sim', ...args]);

describe('thp-autotune sim', () => {
  it('prints a table comparing page sizes', () => {
    const r = sim(['--preset', 'zen3', '--no-nested', '--bytes', '1g', '--count', '50000', '--page-size', '4k,2m']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^machine zen3 \(native walks\), workload uniform over 1g/);
    expect(r.stdout).toMatch(/L2 \(last level\) miss rate/);
    expect(r.stdout).toMatch(/predicted speedup\s+1\.000x\s+\d+\.\d+x/);
  });

  it('defaults to this machine without virtualization, and says so', () => {
    const r = sim(['--count', '20000']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^machine this-machine \(native walks: the default, this machine without virtualization; --nested simulates a VM\)/);
    const nested = sim(['--count', '20000', '--nested']);
    expect(nested.stdout).toMatch(/^machine this-machine \(nested walks, host pages 4k\),/);
  });

  it('prints JSON with --json', () => {
    const r = sim(['--workload', 'zipf', '--theta', '0.8', '--bytes', '256m', '--count', '20000', '--page-size', '4k', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const parsed = JSON.parse(r.stdout) as { pageSizes: string[]; stats: { accesses: number }[]; machine: string };
    expect(parsed.pageSizes).toEqual(['4k']);
    expect(parsed.stats[0]?.accesses).toBe(20000);
    expect(parsed.machine).toMatch(/^this-machine \(native walks/);
  });

  it.each([
    [['--preset', 'pentium'], /^thp-autotune sim: --preset must be one of this-machine, /],
    [['--count', '1.5'], /^thp-autotune sim: --count must be an integer from 0 to \d+; received 1\.5$/],
    [['--workload', 'zipf', '--theta', '20'], /^thp-autotune sim: --theta must be a number from 0 to 10; received 20$/],
    [['--workload', 'zipf', '--theta', 'steep'], /^thp-autotune sim: --theta must be a number; received "steep"$/],
    [['--bytes', '1q'], /^thp-autotune sim: --bytes must be /],
    [['--page-size', '4k,3m'], /^thp-autotune sim: --page-size must be a list of 4k, 2m, 1g; received "4k,3m"$/],
    [['--levels', '6'], /^thp-autotune sim: --levels must be /],
    [['--workload', 'strided', '--stride', '4'], /^thp-autotune sim: --stride must be /],
  ])('refuses %j with a usage error naming the flag', (args, message) => {
    const r = sim(args);
    expect(r.status).toBe(ExitCode.usage);
    expect(r.stderr.trimEnd()).toMatch(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/workload\.|options\./);
  });

  it('a trace file that cannot be read has the input-file exit code', () => {
    const r = sim(['--workload', 'trace', '--trace', '/nonexistent/trace.txt']);
    expect(r.status).toBe(ExitCode.badInput);
    expect(r.stderr).toBe('thp-autotune sim: cannot open trace file /nonexistent/trace.txt\n');
  });
});
