// How much anonymous memory is on transparent huge pages: the goal metric of the kernel's
// THP auto-tuning discussion (huge page consumption over anonymous memory).
import { InvalidArgumentError } from '../errors.js';
import { readSmapsRollup } from './smaps.js';
import { readMeminfo } from './system.js';
import { nativePid, type ProcessTarget } from './target.js';

export type UsageScope = 'process' | 'system';

export interface HugepageUsageOptions {
  /** 'process' (default): one process, from /proc/<pid>/smaps_rollup; 'system': /proc/meminfo. */
  scope?: UsageScope;
  /** The process for scope 'process' (default: this one); not allowed with scope 'system'. */
  pid?: ProcessTarget;
}

export interface HugepageUsage {
  scope: UsageScope;
  /** The process measured (scope 'process'); undefined for 'system'. */
  pid: number | undefined;
  /** Resident anonymous memory, huge pages included. */
  anonymousBytes: number;
  /** The part of it mapped by PMD-sized transparent huge pages (AnonHugePages). */
  anonHugeBytes: number;
  /** anonHugeBytes / anonymousBytes in basis points, an integer from 0 to 10000 (0 when there is no anonymous memory). */
  hugeRatioBasisPoints: number;
  /** The file the figures come from. */
  source: '/proc/<pid>/smaps_rollup' | '/proc/meminfo';
}

const SCOPES: readonly UsageScope[] = ['process', 'system'];

/**
 * Both sources count huge pages inside the anonymous total, so the ratio is a plain quotient:
 * - smaps/smaps_rollup: "Anonymous" sums every anonymous page, PMD-mapped THPs included, and
 *   "AnonHugePages" additionally counts the PMD-mapped ones (fs/proc/task_mmu.c, smaps_account
 *   called from smaps_pmd_entry).
 * - meminfo: "AnonPages" is NR_ANON_MAPPED and "AnonHugePages" NR_ANON_THPS; mapping an
 *   anonymous THP by PMD adds its pages to both (mm/rmap.c, __folio_mod_stat).
 * The two counters of meminfo are read without a common lock, so a snapshot can show slightly
 * more huge than anonymous memory; the ratio is clamped to 10000.
 */
function ratioBasisPoints(huge: number, anonymous: number): number {
  if (anonymous <= 0) return 0;
  return Math.min(10_000, Math.round((huge * 10_000) / anonymous));
}

/** Anonymous memory and the part of it on transparent huge pages, for a process or the system. */
export async function hugepageUsage(options: HugepageUsageOptions = {}): Promise<HugepageUsage> {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options', 'an object such as { scope: "process", pid: 1234 }', options);
  }
  const scope = options.scope ?? 'process';
  if (!SCOPES.includes(scope)) throw new InvalidArgumentError('scope', "'process' or 'system'", scope);
  if (scope === 'system') {
    if (options.pid !== undefined) {
      throw new InvalidArgumentError('pid', "absent when scope is 'system' (the whole machine is measured)", options.pid);
    }
    const meminfo = await readMeminfo();
    const anonymousBytes = meminfo.bytes['AnonPages'] ?? 0;
    const anonHugeBytes = meminfo.bytes['AnonHugePages'] ?? 0;
    return {
      scope,
      pid: undefined,
      anonymousBytes,
      anonHugeBytes,
      hugeRatioBasisPoints: ratioBasisPoints(anonHugeBytes, anonymousBytes),
      source: '/proc/meminfo',
    };
  }
  const target = nativePid(options.pid);
  const rollup = await readSmapsRollup(options.pid);
  return {
    scope,
    pid: target === 0 ? process.pid : target,
    anonymousBytes: rollup.anonymous,
    anonHugeBytes: rollup.anonHugePages,
    hugeRatioBasisPoints: ratioBasisPoints(rollup.anonHugePages, rollup.anonymous),
    source: '/proc/<pid>/smaps_rollup',
  };
}
