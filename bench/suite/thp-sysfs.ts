// The system's THP mode (/sys/kernel/mm/transparent_hugepage/enabled), switched for the
// children that need another one and always put back: after each child, on SIGINT, SIGTERM
// and SIGHUP, on an uncaught error, at exit, and, if this process was killed outright, by the
// next run, which finds the original value in a marker file. The setting is machine-wide:
// every other process started while it is switched sees it too.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export type ThpMode = 'always' | 'madvise' | 'never';

const ENABLED = '/sys/kernel/mm/transparent_hugepage/enabled';
const MARKER = path.join(tmpdir(), 'thp-autotune-bench-thp-enabled.orig');

/** The selected choice of a sysfs file listing choices with one in brackets (`always [madvise] never`). */
export function selectedChoice(text: string): string | null {
  return /\[([^\]]+)\]/.exec(text)?.[1] ?? null;
}

export function readThpMode(): ThpMode | null {
  try {
    return selectedChoice(readFileSync(ENABLED, 'utf8')) as ThpMode | null;
  } catch {
    return null;
  }
}

function writeThpMode(mode: ThpMode): void {
  writeFileSync(ENABLED, mode);
}

export class ThpSwitch {
  /** The mode found at start, which every switch returns to. */
  readonly original: ThpMode | null;
  /** Whether this process may write the setting (tried by writing back the current value). */
  readonly writable: boolean;
  /** A message when a previous run's switch had to be undone first. */
  readonly recovered: string | null = null;
  #switched = false;
  #onSignal: ((signal: NodeJS.Signals) => void) | null = null;

  constructor() {
    if (existsSync(MARKER)) {
      // A previous run was killed while the mode was switched: put the mode it found back.
      const before = readFileSync(MARKER, 'utf8').trim() as ThpMode;
      try {
        writeThpMode(before);
        rmSync(MARKER);
        this.recovered = `a previous run left THP 'enabled' switched; restored it to '${before}' (from ${MARKER})`;
      } catch (e) {
        this.recovered = `a previous run left THP 'enabled' switched and it could not be restored to '${before}': ${(e as Error).message}`;
      }
    }
    this.original = readThpMode();
    let writable = false;
    if (this.original !== null) {
      try {
        writeThpMode(this.original);
        writable = true;
      } catch {
        writable = false;
      }
    }
    this.writable = writable;
  }

  /** Sets the mode for what runs next; `kill` ends whatever must not outlive a signal (the running child). */
  set(mode: ThpMode, kill: () => void): void {
    if (!this.writable || this.original === null) throw new Error(`THP 'enabled' cannot be written here (${ENABLED})`);
    if (mode === this.original) return this.restore();
    if (!this.#switched) {
      writeFileSync(MARKER, this.original);
      this.#install(kill);
      this.#switched = true;
    }
    writeThpMode(mode);
  }

  /** Puts the original mode back (a no-op when it was not switched). */
  restore(): void {
    if (!this.#switched || this.original === null) return;
    writeThpMode(this.original);
    rmSync(MARKER, { force: true });
    this.#switched = false;
    this.#uninstall();
  }

  #install(kill: () => void): void {
    this.#onSignal = (signal) => {
      kill();
      this.restore();
      process.stderr.write(`\n${signal}: THP 'enabled' restored to '${this.original}'\n`);
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15));
    };
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, this.#onSignal);
    process.on('uncaughtExceptionMonitor', this.#restoreNow);
    process.on('exit', this.#restoreNow);
  }

  #uninstall(): void {
    if (this.#onSignal) for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(s, this.#onSignal);
    process.off('uncaughtExceptionMonitor', this.#restoreNow);
    process.off('exit', this.#restoreNow);
    this.#onSignal = null;
  }

  readonly #restoreNow = (): void => this.restore();
}
