// The source that watches this process's own memory when the caller names none, shared by the
// tuner and the recorder: `referenced` sees reads and writes; where the kernel refuses it
// (MADV_COLD blocked, e.g. by a seccomp profile, or smaps without `Referenced:`), `pagemap`
// still sees writes (docs/sources.md, "Why referenced is the default").
import { NotSupportedError } from '../errors.js';
import { PagemapSource } from './pagemap.js';
import { ReferencedSource, type ReferencedSourceOptions } from './referenced.js';

/** The sources that can watch this process's own memory. */
export type OwnMemorySourceKind = 'referenced' | 'pagemap';

/**
 * A new source of this process's memory of `kind`; `referenced` falls back to `pagemap` on a
 * kernel that refuses it (check the returned source's class, or its `signal`, to know which).
 * Errors other than NotSupportedError (bad options) are thrown.
 */
export function ownMemorySource(kind: OwnMemorySourceKind, options: ReferencedSourceOptions = {}): ReferencedSource | PagemapSource {
  if (kind === 'referenced') {
    try {
      return new ReferencedSource(options);
    } catch (e) {
      if (!(e instanceof NotSupportedError)) throw e;
    }
  }
  return new PagemapSource();
}
