// Adaptive regions adjustment (Documentation/mm/damon/design.rst, "Adaptive Regions Adjustment"): the size limit, merge with the age update,
// and split. Pure functions over targets' region lists; randomness is injected.
#pragma once

#include <cstdint>
#include <vector>

#include "core/monitor/random.h"
#include "core/monitor/target.h"

namespace thp::monitor {

// design.rst "Execution Model and Data Structures" step 4 / design.rst "Adaptive Regions Adjustment" (kernel >= 7.1 damon_apply_min_nr_regions): limit = max(min region,
// total / min_nr_regions) aligned up; every region larger than it is cut into limit-sized
// pieces (the last piece keeps the remainder). Returns the limit, the merge size cap.
uint64_t ApplyMinNrRegions(std::vector<Target>& targets, uint64_t min_nr_regions);

// design.rst "Adaptive Regions Adjustment" merge_regions_of: one left-to-right pass that also updates every region's age (design.rst "Age Tracking").
void MergeRegionsOf(std::vector<Region>& regions, uint32_t threshold, uint64_t sz_limit);

// design.rst "Adaptive Regions Adjustment" kdamond_merge_regions: threshold doubles while the region count exceeds max_nr_regions
// and threshold/2 < max_thres (aggr/sample). The age update repeats on every pass, as in the kernel.
void MergeRegions(std::vector<Target>& targets, uint32_t threshold, uint64_t sz_limit, uint64_t max_nr_regions,
                  uint64_t max_thres);

// split_region_at: r keeps [start, start + sz_left); the new right piece copies its state.
Region SplitRegionAt(Region& r, uint64_t sz_left);

// design.rst "Adaptive Regions Adjustment" damon_split_regions_of: each region is cut into up to nr_subs pieces at random 10-90% points.
void SplitRegionsOf(std::vector<Region>& regions, int nr_subs, SeededRandom& rng);

// design.rst "Adaptive Regions Adjustment" kdamond_split_regions. last_nr_regions is the kernel's static, kept per monitor here
// (deliberate difference: the kernel shares one across all contexts, so monitors running at
// once would perturb each other nondeterministically).
void SplitRegions(std::vector<Target>& targets, uint64_t max_nr_regions, uint64_t& last_nr_regions, SeededRandom& rng);

uint64_t CountRegions(const std::vector<Target>& targets);

}  // namespace thp::monitor
