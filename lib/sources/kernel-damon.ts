// The kernel's own DAMON (native/sources/kernel_damon/): a kdamond watching a process,
// configured through /sys/kernel/mm/damon/admin (Documentation/admin-guide/mm/damon/usage.rst)
// with the `vaddr` operations set (whole address space) or `fvaddr` (fixed ranges). The
// kernel computes the regions itself; the monitor reads them back every aggregation through
// a `stat` scheme's tried regions.
import { existsSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import { NoSuchProcessError } from '../errors.js';
import { PidSchema, Strict } from '../validation/schemas.js';
import { validate } from '../validation/validate.js';
import { linuxBinding } from '../native/binding.js';
import { AccessSource, createNative } from './source.js';

const KernelDamonSourceSchema = Strict({
  /** The watched process; default this process. */
  pid: Type.Optional(PidSchema),
});
/** @useDeclaredType */
export type KernelDamonSourceOptions = Static<typeof KernelDamonSourceSchema>;

/**
 * The kernel's DAMON (a kdamond) watching the process `pid`, which may be another process.
 * It sees reads and writes (the page table's Accessed bits, as the `vaddr` operations'
 * prepare_access_checks and check_accesses callbacks clear and read them). Needs root and a
 * kernel built with CONFIG_DAMON_SYSFS and CONFIG_DAMON_VADDR. One target; real time only
 * (no `step()`); the kernel picks its own sampling addresses (no seed). It takes a kdamond
 * only if none is in use by someone else, and gives it back when stopped. It has no memory
 * operations: a tuner acts on the process through lib/memory.
 */
export class KernelDamonSource extends AccessSource {
  readonly signal = 'access';
  readonly pid: number;

  constructor(options: KernelDamonSourceOptions = {}) {
    const pid = validate(KernelDamonSourceSchema, options).pid ?? process.pid;
    const native = createNative('kernel DAMON access source', () => new (linuxBinding('kernel DAMON access source').KernelDamonSource)(pid));
    // The kernel accepts any pid when configured and fails only when turned on, off the JS thread.
    if (!existsSync(`/proc/${pid}`)) throw new NoSuchProcessError(pid);
    super({ native, kernel: true });
    this.pid = pid;
  }
}
