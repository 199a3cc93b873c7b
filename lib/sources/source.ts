// What every access source is to an AccessMonitor. A source is where accesses come from and
// what acts on the memory it watches, as the kernel's struct damon_operations is for a DAMON
// context (Documentation/mm/damon/design.rst, "Operations Set Layer"); the monitor runs the
// region logic over it and knows nothing of its kind. A source feeds one monitor.
import { NotSupportedError, ThpError } from '../errors.js';
import type { NativeSource } from './native.js';

/** What the monitor's addon side needs of a source; not part of the public API. */
export interface SourceBinding {
  readonly native: NativeSource;
  /**
   * The kernel runs the monitoring (a kdamond): real time only, one target, and the kdamond
   * outlives the process unless stopped at exit.
   */
  readonly kernel: boolean;
}

export const sourceBinding = Symbol('thp-autotune source binding');

/**
 * Base class of the access sources (`PagemapSource`, `ReferencedSource`, `KernelDamonSource`,
 * `SimulatedSource`, `PatternSource`): where an `AccessMonitor`'s accesses come from.
 */
export abstract class AccessSource {
  /** @internal */
  readonly [sourceBinding]: SourceBinding;

  /** What the source observes: every access, or (the pagemap source) writes only. */
  abstract readonly signal: 'access' | 'write';

  /** @internal Only this package's sources have a native side to bind. */
  protected constructor(binding: SourceBinding) {
    this[sourceBinding] = binding;
  }
}

/** Builds a native source, naming `feature` in the NotSupportedError of a system that lacks it. */
export function createNative<T>(feature: string, create: () => T): T {
  try {
    return create();
  } catch (e) {
    const err = e as Error & { code?: string };
    if (err.code === 'ERR_THP_NOT_SUPPORTED' && !(err instanceof ThpError)) throw new NotSupportedError(feature, err.message);
    throw e;
  }
}
