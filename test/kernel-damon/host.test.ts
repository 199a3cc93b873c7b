// The damon source on this machine, without a guest: option checks, the NotSupportedError
// that names CONFIG_DAMON_VADDR where the kernel lacks it, and that asking changes nothing
// in DAMON's sysfs (no kdamond is created to find out).
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KernelDamonSource, AccessMonitor, capabilities, HugepageTuner, InvalidArgumentError, NotSupportedError } from '../../lib/index.js';
import { ExitCode } from '../../lib/cli/style/index.js';
import { runCli } from '../helpers/cli.js';

const ADMIN = '/sys/kernel/mm/damon/admin/kdamonds';
const caps = await capabilities();
const vaddr = caps.damonSysfs.vaddr;
const lacksVaddr = caps.damonSysfs.supported && !vaddr.supported && /CONFIG_DAMON_VADDR/.test(vaddr.reason ?? '');
if (!lacksVaddr) console.log(`damon NotSupportedError checks skipped: this kernel does not lack DAMON vaddr (${JSON.stringify(caps.damonSysfs)})`);

/** nr_kdamonds and every kdamond's state and context count: what a probe must not change. */
function damonState(): string {
  if (!existsSync(ADMIN)) return 'absent';
  const n = readFileSync(`${ADMIN}/nr_kdamonds`, 'utf8').trim();
  const slots = Array.from({ length: Number(n) }, (_, i) => {
    const dir = `${ADMIN}/${i}`;
    return `${readFileSync(`${dir}/state`, 'utf8').trim()}/${readFileSync(`${dir}/contexts/nr_contexts`, 'utf8').trim()}`;
  });
  return [n, ...slots].join(' ');
}

describe('damon source options', () => {
  it('names the field: a pid that is no process id (only the kernel DAMON source takes one)', () => {
    const err = (() => {
      try {
        new KernelDamonSource({ pid: 1.5 });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as InvalidArgumentError).field).toBe('pid');
    expect(() => new AccessMonitor({ source: new KernelDamonSource({ pid: 0 }) })).toThrow(/pid must be an integer pid from 1 to 4194304/);
    expect(() => new AccessMonitor({ source: new KernelDamonSource({ pid: 1 }), targets: [{}, {}] })).toThrow(/targets must be exactly one target/);
  });
});

describe.skipIf(!lacksVaddr)('damon source where the kernel lacks CONFIG_DAMON_VADDR', () => {
  it('AccessMonitor, HugepageTuner({pid}) and tune --pid say so, and DAMON sysfs stays as it was', () => {
    const before = damonState();
    expect(() => new AccessMonitor({ source: new KernelDamonSource({ pid: 1 }) })).toThrow(NotSupportedError);
    expect(() => new AccessMonitor({ source: new KernelDamonSource({ pid: 1 }) })).toThrow(/CONFIG_DAMON_VADDR/);
    expect(() => new HugepageTuner({ pid: 1 })).toThrow(/tuning another process is not supported here: .*CONFIG_DAMON_VADDR/);
    expect(() => new HugepageTuner({ source: 'damon' })).toThrow(/CONFIG_DAMON_VADDR/);
    const r = runCli(['tune', '--pid', '1']);
    expect(r.status).toBe(ExitCode.notSupported);
    expect(r.stderr).toMatch(/CONFIG_DAMON_VADDR/);
    expect(damonState()).toBe(before);
  });
});
