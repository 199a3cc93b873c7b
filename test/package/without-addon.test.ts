// When the native addon cannot load (another OS, a missing build), importing the package
// still works, portable parts still run, and every native call says why it cannot.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { distEntry } from '../helpers/dist-entry.js';

function runWithoutAddon(script: string): string {
  return execFileSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    env: { ...process.env, THP_AUTOTUNE_NATIVE: '/nonexistent/thp_autotune.node' },
  });
}

describe('without a loadable addon', () => {
  it('imports, reports capabilities as unsupported, and explains native calls', () => {
    const out = runWithoutAddon(`
      const t = require(${JSON.stringify(distEntry)});
      const lines = [];
      lines.push('available=' + t.nativeAvailable());
      lines.push('bytes=' + t.parseBytes('2M', 'size'));
      try { t.allocAligned(4096); } catch (e) { lines.push(e.name + ' ' + e.code + ' ' + e.feature); lines.push(e.message); }
      t.capabilities().then((r) => {
        lines.push('addon=' + r.platform.addon.supported + ' collapse=' + r.madvCollapse.supported);
        lines.push('reason=' + r.madvCollapse.reason);
        console.log(lines.join('\\n'));
      });
    `);
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('available=false');
    expect(lines[1]).toBe('bytes=2097152');
    expect(lines[2]).toBe('NotSupportedError ERR_THP_NOT_SUPPORTED native-addon');
    expect(lines[3]).toMatch(/^native-addon is not supported here: the thp-autotune native addon could not be loaded \(Cannot find module '\/nonexistent\/thp_autotune.node'/);
    expect(lines[4]).toBe('addon=false collapse=false');
    expect(lines[5]).toMatch(/native addon/);
  });
});
