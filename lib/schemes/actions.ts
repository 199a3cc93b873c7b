// DAMOS actions this tuner applies (Documentation/mm/damon/design.rst, "Operation Action") and how the kernel prioritises them.
/**
 * - `collapse`: MADV_COLLAPSE, unit by unit (synchronous; the kernel's DAMOS_COLLAPSE);
 * - `hugepage` / `nohugepage`: MADV_HUGEPAGE / MADV_NOHUGEPAGE on the region (this process only:
 *   the kernel refuses them through process_madvise);
 * - `stat`: nothing, only statistics and tried regions.
 */
export type SchemeAction = 'collapse' | 'hugepage' | 'nohugepage' | 'stat';
export const SCHEME_ACTIONS: readonly SchemeAction[] = ['collapse', 'hugepage', 'nohugepage', 'stat'];

/**
 * - `kernel`: the kernel's vaddr scoring, a constant 99 for these actions, so the quota is spent
 *   in address order from the resume marker, hot or cold;
 * - `hot` (default here): the kernel's hot score (access rate and age), hottest first.
 */
export type Scoring = 'hot' | 'kernel';
export const SCORINGS: readonly Scoring[] = ['hot', 'kernel'];

/** The score vaddr's get_scheme_score gives willneed/cold/hugepage/nohugepage/collapse/stat. */
export const KERNEL_CONSTANT_SCORE = 99;
