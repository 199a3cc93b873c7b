// The `error` event: a monitor whose thread fails reports it as a MonitorFailedError on
// `error` and stops; without an `error` listener nothing is thrown into the process. The
// failure is real: a child process runs out of file descriptors after creating its monitor,
// so the thread's first act, opening its userfaultfd and /proc/self/pagemap, fails with EMFILE.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { distEntry } from '../helpers/dist-entry.js';
import { pagemapUnavailable } from '../helpers/pagemap.js';

const unavailable = pagemapUnavailable();
if (unavailable) console.log(`error-event tests skipped (they fail the pagemap source's thread): ${unavailable}`);

// Prints one JSON line per event, then lets the process end on its own (the failed thread
// must not keep it alive).
function childScript(listen: boolean): string {
  return `
    const fs = require('node:fs');
    const { AccessMonitor, PagemapSource, allocAligned } = require(${JSON.stringify(distEntry)});
    const buffer = allocAligned(8 * 2 ** 20);
    const m = new AccessMonitor({ targets: [{ ranges: [buffer] }], source: new PagemapSource() });
    const fds = [];
    try { for (;;) fds.push(fs.openSync('/dev/null', 'r')); } catch (e) { if (e.code !== 'EMFILE') throw e; }
    const release = () => { for (const fd of fds.splice(0)) fs.closeSync(fd); };
    m.on('aggregate', () => { release(); console.log(JSON.stringify({ event: 'aggregate' })); m.stop(); });
    if (${listen}) m.on('error', (e) => {
      release();
      console.log(JSON.stringify({ event: 'error', name: e.name, code: e.code, message: e.message, running: m.running }));
    });
    m.start();
    setTimeout(() => { release(); console.log(JSON.stringify({ event: 'later', running: m.running })); }, 500);
  `;
}

function run(listen: boolean): { status: number | null; stderr: string; events: Record<string, unknown>[]; ms: number } {
  const t0 = Date.now();
  // A low descriptor limit makes exhausting them quick; the child starts with room to spare.
  const r = spawnSync('sh', ['-c', 'ulimit -n 64 && exec "$0" -e "$1"', process.execPath, childScript(listen)], { encoding: 'utf8', timeout: 20_000 });
  const events = r.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { status: r.status, stderr: r.stderr, events, ms: Date.now() - t0 };
}

describe.skipIf(unavailable !== null)('AccessMonitor error event', () => {
  it('reports a failing thread as MonitorFailedError with the cause, stops, and lets the process exit', () => {
    const r = run(true);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.events[0]).toMatchObject({ event: 'error', name: 'MonitorFailedError', code: 'ERR_THP_MONITOR_FAILED', running: false });
    // The thread opens its userfaultfd and /proc/self/pagemap; either may be the one refused
    // (a descriptor node's own threads close meanwhile leaves room for the first).
    expect(String(r.events[0]!['message'])).toMatch(/(userfaultfd failed|cannot open \/proc\/self\/pagemap): Too many open files/);
    expect(r.events).toEqual([r.events[0], { event: 'later', running: false }]);
    expect(r.ms).toBeLessThan(10_000);
  });

  it('throws nothing into the process when no one listens for errors', () => {
    const r = run(false);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.events).toEqual([{ event: 'later', running: false }]);
  });
});
