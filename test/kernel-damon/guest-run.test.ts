// The damon access source against a real kernel DAMON: this machine's kernel lacks
// CONFIG_DAMON_VADDR, so the test boots Debian's 6.12 cloud kernel (which has it) under
// qemu's TCG emulation with an initramfs holding busybox, this node, the built package and
// test/kernel-damon/guest/. Inside, another process writes 32 MiB of a 256 MiB buffer
// continuously; an AccessMonitor with the damon source watches it (recall and precision of
// the hot 2 MiB units, scored here as test/monitor scores the pagemap source), a
// HugepageTuner with its pid collapses the hot part, `thp-autotune tune --pid` attaches and
// detaches, kdamonds of someone else stay untouched, a monitoring process exits mid-run, and
// the target exits under a running monitor. The guest prints `KDAMON-TEST {json}` lines on the serial console.
// Prerequisites (CI installs them, .ci/run): qemu-system-x86 and busybox-static from apt,
// the kernel from test/kernel-damon/guest/fetch-kernel.sh into .cache/kernel-damon/.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MonitorSnapshot } from '../../lib/index.js';
import { addonPath } from '../helpers/addon-path.js';
import { distEntry } from '../helpers/dist-entry.js';
import { scoreHotSet, type Accuracy } from '../monitor/hot-set-accuracy.js';

const repo = path.resolve(__dirname, '../..');
const guestDir = path.join(__dirname, 'guest');
const kernel = path.join(repo, '.cache/kernel-damon/vmlinuz');
const GUEST_TIMEOUT_MS = 600_000;

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

function missing(): string | null {
  if (process.platform !== 'linux' || process.arch !== 'x64') return `needs Linux on x86-64; this is ${process.platform}/${process.arch}`;
  if (!onPath('qemu-system-x86_64')) return 'qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)';
  if (!onPath('busybox')) return 'busybox is not installed (apt-get install busybox-static)';
  if (!existsSync(kernel)) return `no guest kernel at ${kernel} (run test/kernel-damon/guest/fetch-kernel.sh)`;
  if (!existsSync(distEntry)) return `no build at ${distEntry}`;
  return null;
}

const skip = missing();
if (skip) console.log(`kernel DAMON guest test skipped: ${skip}`);

type Event = Record<string, unknown> & { event: string };

async function runGuest(): Promise<{ events: Event[]; console: string; ms: number }> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'thp-kdamon-'));
  try {
    const initrd = path.join(work, 'initrd.cpio');
    const built = spawnSync(path.join(guestDir, 'build-initramfs.sh'), [addonPath(), initrd], { encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`building the initramfs failed: ${built.stderr}`);
    const t0 = performance.now();
    // no_timer_check: the kernel's boot-time check that the IO-APIC timer ticks waits a fixed
    // number of loops; on a heavily loaded host the emulated timer missed it and the guest
    // panicked ("IO-APIC + timer doesn't work!"). Virtual machines routinely skip that check.
    const qemu = spawn(
      'qemu-system-x86_64',
      [
        '-accel',
        'tcg,thread=multi',
        '-cpu',
        'max',
        '-m',
        '2048',
        '-smp',
        '2',
        '-nographic',
        '-no-reboot',
        '-nic',
        'none',
        '-kernel',
        kernel,
        '-initrd',
        initrd,
        '-append',
        'console=ttyS0 quiet panic=-1 no_timer_check',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    qemu.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    qemu.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => qemu.kill('SIGKILL'), GUEST_TIMEOUT_MS);
    const code = await new Promise<number | null>((resolve) => qemu.on('close', resolve));
    clearTimeout(timer);
    const ms = performance.now() - t0;
    if (code !== 0) throw new Error(`qemu exited with ${code} after ${Math.round(ms)} ms; console:\n${output.slice(-4000)}`);
    const marker = 'KDAMON-TEST ';
    const events = output
      .split(/\r?\n/)
      .filter((line) => line.includes(marker))
      .map((line) => JSON.parse(line.slice(line.indexOf(marker) + marker.length)) as Event);
    return { events, console: output, ms };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const UNIT = 2 ** 21;

describe.skipIf(skip !== null)('damon access source in a 6.12 guest (qemu TCG)', () => {
  it(
    'finds another process’s hot set, lets the tuner collapse it through its pid, and gives every kdamond back',
    async () => {
      const { events, console: log, ms } = await runGuest();
      const find = (name: string) => {
        const e = events.find((x) => x.event === name);
        if (!e) throw new Error(`the guest printed no ${name} event; console tail:\n${log.slice(-4000)}`);
        return e;
      };
      const failed = events.find((e) => e.event === 'failed');
      expect(failed?.['error'] ?? null).toBeNull();
      expect(find('exit')['status']).toBe(0);
      // Nothing the package started keeps node alive once the script is done (unref'd threads).
      expect(Number(find('exit')['uptime']) - Number(find('done')['uptime'])).toBeLessThan(10);

      const caps = find('capabilities') as Event & { damonSysfs: { vaddr: { supported: boolean } } };
      expect(caps.damonSysfs.vaddr.supported).toBe(true);
      const layout = find('layout') as Event & { hotFirst: number; hotUnits: number; size: number };

      // AccessMonitor, damon source: accuracy per snapshot as test/monitor defines it.
      const hot = new Set(Array.from({ length: layout.hotUnits }, (_, i) => layout.hotFirst + i));
      const snapshots = events.filter((e) => e.event === 'snapshot') as (Event & { signal: string; regions: [number, number, number, number][] })[];
      const monitor = find('monitor') as Event & { stepError: string | null; snapshots: number; kdamondsBefore: number; kdamondsDuring: number; kdamondsAfter: number; errors: string[] };
      expect(monitor.errors).toEqual([]);
      expect(monitor.stepError).toMatch(/^NotSupportedError: step\(\)/);
      expect(snapshots.length).toBe(monitor.snapshots);
      expect(snapshots.every((s) => s.signal === 'access')).toBe(true);
      const scores: Accuracy[] = snapshots.map((s) =>
        scoreHotSet(
          {
            regions: s.regions.map(([start, end, nrAccesses, age]) => ({ target: 0, start: BigInt(start), end: BigInt(end), nrAccesses, nrAccessesBp: nrAccesses * 10000, age })),
          } as unknown as MonitorSnapshot,
          hot,
          0,
        ),
      );
      const met = (a: Accuracy) => a.recall >= 0.9 && a.precision >= 0.8;
      const late = scores.slice(10);
      const last = scores.at(-1) as Accuracy;
      // The kdamond is one; nr_kdamonds goes back to what it was.
      expect([monitor.kdamondsBefore, monitor.kdamondsDuring, monitor.kdamondsAfter]).toEqual([0, 1, 0]);

      // HugepageTuner({pid}): the hot units huge, the cold part on 4 KiB pages.
      const tuner = find('tuner') as Event & {
        sampleInterval: string;
        hotHuge: number;
        coldHuge: number;
        coldUnits: number;
        allHotAtMs: number | null;
        coldCollapses: unknown[];
        anonHugeBytes: number;
        kdamondsAfter: number;
        errors: string[];
      };
      const exit = find('exit-phase') as Event & { error: string | null; running: boolean; kdamondsAfter: number };
      console.log(
        `kernel DAMON in qemu (${Math.round(ms / 1000)} s for the whole guest run, ${find('done')['ms']} ms of it in the test script): ` +
          `monitor ${late.filter(met).length}/${late.length} snapshots after the 10th met recall>=0.9 and precision>=0.8, ` +
          `last recall ${last.recall.toFixed(3)} precision ${last.precision.toFixed(3)}; ` +
          `tuner (samples of ${tuner.sampleInterval}) ${tuner.hotHuge}/${layout.hotUnits} hot units huge after ${tuner.allHotAtMs} ms (AnonHugePages ${tuner.anonHugeBytes / 2 ** 20} MiB), ` +
          `${tuner.coldHuge}/${tuner.coldUnits} cold units huge` +
          (tuner.coldCollapses.length > 0 ? ` (collapsed as [unit, aggregation, region [startUnit, endUnit, nrAccesses, age]]: ${JSON.stringify(tuner.coldCollapses)})` : ''),
      );
      expect(late.filter(met).length).toBeGreaterThanOrEqual(late.length / 2);
      expect(tuner.errors).toEqual([]);
      expect(tuner.hotHuge).toBe(layout.hotUnits);
      expect(tuner.coldHuge).toBeLessThanOrEqual(2);
      expect(tuner.anonHugeBytes).toBeGreaterThanOrEqual(layout.hotUnits * UNIT);
      expect(tuner.anonHugeBytes).toBeLessThanOrEqual((layout.hotUnits + 2) * UNIT);
      expect(tuner.kdamondsAfter).toBe(0);

      // tune --pid: attached (the tuner ran aggregations), SIGTERM ended it cleanly.
      const cli = find('cli') as Event & { attached: boolean; code: number | null; kdamondsDuring: number; kdamondsAfter: number; lastError: string | null };
      expect(cli.attached).toBe(true);
      expect(cli.lastError ?? null).toBeNull();
      expect([cli.code, cli.kdamondsDuring, cli.kdamondsAfter]).toEqual([0, 1, 0]);

      // Someone else's kdamonds: slot 0 (a paddr context, on) untouched; the monitor used the
      // empty slot 1, committed new attributes to it, gave it back empty; refused when no slot was free.
      const sharing = find('sharing') as Event & {
        foreign: string;
        during: string[];
        after: string[];
        aggrAfterUpdate: { snapshotMs: number; sysfsUs: number };
        errors: string[];
        refusedError: string | null;
        afterRefusal: string[];
      };
      expect(sharing.errors).toEqual([]);
      expect(sharing.during).toEqual([sharing.foreign, 'on/1/fvaddr']);
      expect(sharing.after).toEqual(['2', sharing.foreign, 'off/0']);
      expect(sharing.aggrAfterUpdate).toEqual({ snapshotMs: 200, sysfsUs: 200_000 });
      expect(sharing.refusedError).toMatch(/configured by someone else/);
      expect(sharing.afterRefusal).toEqual(['2', sharing.foreign, 'off/1/vaddr']);

      // process.exit() while a damon monitor runs: the kdamond is turned off and given back.
      const processExit = find('process-exit') as Event & { status: number | null; kdamondsDuring: number; kdamondsAfter: number };
      expect([processExit.status, processExit.kdamondsDuring, processExit.kdamondsAfter]).toEqual([7, 1, 0]);

      // The target exits while monitored: an error event names it, and the slot is given back.
      expect(exit.error).toMatch(/exited/);
      expect(exit.running).toBe(false);
      expect(exit.kdamondsAfter).toBe(0);
    },
    GUEST_TIMEOUT_MS + 60_000,
  );
});
