// Pins threads of this process to CPUs without forking it later. Running `taskset` with
// execFileSync forks the benchmark process each time, and a fork write-protects every
// private page for copy-on-write: the next write to each page then faults once. After a
// 1 GiB buffer exists that is 262,144 faults charged to whatever runs next (measured: a
// pinned run showed 256,850 extra faults in the first loop after pinning). So the shell that
// runs taskset is started once, before the benchmark allocates anything, and later pinning
// only writes a line to it.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

export class ThreadPinner {
  readonly #shell: ChildProcessWithoutNullStreams;
  readonly #replies: AsyncIterator<string>;

  /** Start this before allocating the memory a benchmark measures. */
  constructor() {
    this.#shell = spawn('sh', ['-c', 'while read tid cpu; do taskset -p -c "$cpu" "$tid" >/dev/null 2>&1; echo "$?"; done']);
    this.#replies = createInterface({ input: this.#shell.stdout })[Symbol.asyncIterator]();
  }

  /** Pins thread `tid` of this process to `cpu`; rejects if taskset fails. */
  async pin(tid: number, cpu: number): Promise<void> {
    this.#shell.stdin.write(`${tid} ${cpu}\n`);
    const reply = await this.#replies.next();
    if (reply.done || reply.value !== '0') throw new Error(`taskset -p -c ${cpu} ${tid} failed (${reply.done ? 'shell exited' : `exit ${reply.value}`})`);
  }

  close(): void {
    this.#shell.stdin.end();
  }
}
