// Public types of the TLB simulator: machine configuration, workloads and statistics.
import type { Static } from '@sinclair/typebox';
import type { TlbSimulatorOptionsSchema } from './options.js';
import type { WorkloadSchema } from './workload.js';

export const PAGE_SIZES = ['4k', '2m', '1g'] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

/** Entries and associativity of one set-associative array (ways 0 = fully associative). */
export interface ArrayShape {
  entries: number;
  ways: number;
}

/** One array of a TLB level and the page sizes it holds. */
export interface TlbArrayConfig extends ArrayShape {
  sizes: PageSize[];
}

/** Page-walk (paging-structure) caches by the level of the cached entry. */
export interface WalkCacheConfig {
  pde: ArrayShape;
  pdpte: ArrayShape;
  pml4: ArrayShape;
  pml5: ArrayShape;
}

export interface NestedConfig {
  /** Two-dimensional walks of a virtualized guest (every guest-physical address goes through the host table). */
  enabled: boolean;
  hostPageSize: PageSize;
  hostLevels: 4 | 5;
  /** Caches guest-physical to host-physical translations at host page granularity. */
  nestedTlb: ArrayShape;
  hostWalkCaches: WalkCacheConfig;
}

/** Cycle costs: an L2 lookup after an L1 miss, a walk reference hitting the caches or DRAM, and the rest of an access. */
export interface CostConfig {
  l2HitCycles: number;
  cacheRefCycles: number;
  dramRefCycles: number;
  baseAccessCycles: number;
}

/** A complete simulated machine (what a preset provides and overrides change). */
export interface MachineConfig {
  name: string;
  levels: 4 | 5;
  l1: TlbArrayConfig[];
  l2: TlbArrayConfig[];
  walkCaches: WalkCacheConfig;
  /** Page-table cache lines the data caches keep (decides cache versus DRAM for walk references). */
  pageTableCache: ArrayShape;
  nested: NestedConfig;
  cost: CostConfig;
}

/**
 * TlbSimulator options: `preset` (a name from `presetNames()`; default `zen4-vm`),
 * `levels` (4, or 5 for LA57), `nested` (true/false, or the host side's settings) and
 * `overrides` (any field of the machine configuration).
 *
 * @useDeclaredType
 */
export type TlbSimulatorOptions = Static<typeof TlbSimulatorOptionsSchema>;

/**
 * A workload: a generated stream (`uniform`, `zipf`, `sequential`, `strided`, `chase`,
 * `hotcold`, `phases`) over `bytes` from the address `base`, `count` accesses of `granule`
 * bytes (default 8) with `seed` (default 1) and a `writeFraction` (a ratio, default 0); or a
 * `trace` file.
 *
 * @useDeclaredType
 */
export type Workload = Static<typeof WorkloadSchema>;

export type WorkloadKind = Workload['kind'];

export type PerSize = Record<PageSize, number>;

export interface LevelStats {
  lookups: number;
  hits: PerSize;
  misses: PerSize;
  totalHits: number;
  totalMisses: number;
  reach: { usedBytes: number; entriesValid: number; entriesTotal: number };
}

export interface HitRate {
  lookups: number;
  hits: number;
  hitRate: number;
}

export interface SimStats {
  accesses: number;
  writes: number;
  /** Accesses to unmapped addresses. */
  faults: number;
  /** Writes that hit a TLB entry with Dirty clear and walked to set it. */
  dirtyAssists: number;
  l1: LevelStats;
  l2: LevelStats;
  walks: {
    walks: number;
    faults: number;
    refs: number;
    guestRefs: number;
    hostRefs: number;
    cacheRefs: number;
    dramRefs: number;
    refsPerWalk: number;
    walkCaches: Record<keyof WalkCacheConfig, HitRate>;
    hostWalkCaches: HitRate;
    nestedTlb: HitRate;
    hostFaults: number;
  };
  cycles: { translation: number; translationPerAccess: number; estimatedTotal: number };
  memory: { residentBytes: number; bloatBytes: number; pageTableBytes: number };
}

export interface Translation {
  pageSize: PageSize;
  physBase: bigint;
  accessed: boolean;
  dirty: boolean;
}

export interface MappedRange {
  start: bigint;
  length: number;
  pageSize: PageSize;
}

export type CollapseStatus = 'collapsed' | 'unaligned' | 'out-of-range' | 'already-huge' | 'too-many-none' | 'empty' | 'out-of-frames';

export interface CollapseResult {
  status: CollapseStatus;
  /** Absent PTEs found in the 2 MiB range. */
  nonePtes: number;
  /** Absent PTEs that became zero-filled (bloat) pages. */
  filledPages: number;
}
