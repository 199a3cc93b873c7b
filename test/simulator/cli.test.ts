// `thp-autotune sim` prints a table or JSON for the requested page sizes.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../lib/cli/main.js';

async function runCli(args: string[]): Promise<string> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += chunk.toString();
    return true;
  });
  await buildProgram().exitOverride().parseAsync(['node', 'thp-autotune', 'sim', ...args]);
  return out;
}

afterEach(() => vi.restoreAllMocks());

describe('thp-autotune sim', () => {
  it('prints a table comparing page sizes', async () => {
    const out = await runCli(['--preset', 'zen3', '--no-nested', '--bytes', '1g', '--count', '50000', '--page-size', '4k,2m']);
    expect(out).toMatch(/machine zen3, workload uniform over 1g/);
    expect(out).toMatch(/L2 \(last level\) miss rate/);
    expect(out).toMatch(/predicted speedup\s+1\.000x\s+\d+\.\d+x/);
  });

  it('prints JSON with --json', async () => {
    const out = await runCli(['--workload', 'zipf', '--theta', '0.8', '--bytes', '256m', '--count', '20000', '--page-size', '4k', '--json']);
    const parsed = JSON.parse(out) as { pageSizes: string[]; stats: { accesses: number }[]; machine: string };
    expect(parsed.pageSizes).toEqual(['4k']);
    expect(parsed.stats[0]?.accesses).toBe(20000);
    expect(parsed.machine).toMatch(/zen4-vm \(nested, host 4k\)/);
  });

  it('rejects an unknown preset with the allowed names', async () => {
    await expect(runCli(['--preset', 'pentium'])).rejects.toThrow(/--preset must be one of zen4-vm/);
  });
});
