// The style every command shares (lib/cli/style/, docs/cli.md): --version, --help with
// examples and the exit codes, one-line errors naming the flag, JSON errors under --json,
// colour only on a terminal and never with NO_COLOR; the documented exit codes are the code's.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../lib/cli/style/index.js';
import { runCli, runCliOnTerminal } from '../helpers/cli.js';

const COMMANDS = ['sysinfo', 'demo', 'sim', 'tune'];
const packageJson = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { version: string };
const ESC = '\x1b[';

describe('thp-autotune command-line style', () => {
  it('--version prints the package version', () => {
    for (const flag of ['--version', '-V']) {
      const r = runCli([flag]);
      expect(r.status).toBe(ExitCode.ok);
      expect(r.stdout).toBe(`${packageJson.version}\n`);
    }
  });

  it('no command, or an unknown one, is a usage error', () => {
    expect(runCli([]).status).toBe(ExitCode.usage);
    const r = runCli(['frobnicate']);
    expect(r.status).toBe(ExitCode.usage);
    expect(r.stderr).toBe("thp-autotune: unknown command 'frobnicate' (see thp-autotune --help)\n");
  });

  it.each(COMMANDS)('%s --help shows --json, examples and the exit codes', (command) => {
    const r = runCli([command, '--help']);
    expect(r.status).toBe(ExitCode.ok);
    expect(r.stdout).toMatch(/--json/);
    expect(r.stdout).toMatch(new RegExp(`\\nExamples:\\n  thp-autotune ${command}`));
    expect(r.stdout).toMatch(/\nExit codes: 0 done, 1 failed while running, 2 usage error, 3 not supported here/);
  });

  it.each(COMMANDS)('%s: an unknown flag is one line pointing at --help, without a usage dump', (command) => {
    const r = runCli([command, '--frobnicate']);
    expect(r.status).toBe(ExitCode.usage);
    expect(r.stderr).toBe(`thp-autotune ${command}: unknown option '--frobnicate' (see thp-autotune ${command} --help)\n`);
    expect(r.stdout).toBe('');
  });

  it('a bad value in any command names the flag', () => {
    const demo = runCli(['demo', '--rounds', '0']);
    expect(demo.status).toBe(ExitCode.usage);
    expect(demo.stderr).toBe('thp-autotune demo: --rounds must be an integer from 1 to 100; received 0\n');
    const size = runCli(['demo', '--size', '3M']);
    expect(size.stderr).toBe('thp-autotune demo: --size must be a multiple of 2M, at least 2M; received "3M"\n');
  });

  it('under --json an error is one JSON object on stderr, with its exit code', () => {
    const r = runCli(['sim', '--count', '1.5', '--json']);
    expect(r.status).toBe(ExitCode.usage);
    expect(r.stdout).toBe('');
    const printed = JSON.parse(r.stderr) as { error: { message: string; exitCode: number; code: string } };
    expect(printed).toEqual({ error: { message: expect.stringMatching(/^--count must be an integer/), exitCode: ExitCode.usage, code: 'ERR_THP_INVALID_ARGUMENT' } });
    const usage = JSON.parse(runCli(['sim', '--bogus', '--json']).stderr) as { error: { exitCode: number } };
    expect(usage.error.exitCode).toBe(ExitCode.usage);
  });

  it('colour only on a terminal, and never with NO_COLOR', () => {
    expect(runCli(['sysinfo']).stdout).not.toContain(ESC);
    const terminal = runCliOnTerminal(['sysinfo']);
    if (terminal === null) {
      console.log('terminal run skipped: util-linux script is missing');
      return;
    }
    expect(terminal.status).toBe(ExitCode.ok);
    // eslint-disable-next-line no-control-regex -- the colour escapes are what this test checks
    expect(terminal.stdout).toMatch(/\x1b\[3[12]m(un)?supported\x1b\[0m/);
    const plain = runCliOnTerminal(['sysinfo'], { NO_COLOR: '1' });
    expect(plain?.stdout).toMatch(/supported/);
    expect(plain?.stdout).not.toContain(ESC);
  });

  it('docs/cli.md lists exactly the exit codes the commands use', () => {
    const doc = readFileSync(path.resolve(__dirname, '../../docs/cli.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| (\d+) \| `(\w+)` \|/gm)].map((m) => [m[2], Number(m[1])]);
    expect(Object.fromEntries(rows)).toEqual(ExitCode);
  });
});
