// Building and refreshing a target's regions (Documentation/mm/damon/design.rst, "Virtual Address Space Specific Implementation").
#pragma once

#include <optional>
#include <vector>

#include "core/monitor/region.h"

namespace thp::monitor {

// three_regions: the mapped span minus its two largest gaps (in a typical layout the
// heap-to-mmap and mmap-to-stack holes). `mappings` are sorted VMAs. Empty when fewer than
// two non-empty gaps exist (the kernel's -EINVAL: no regions this round).
std::optional<std::vector<AddressRange>> ThreeRegions(const std::vector<AddressRange>& mappings);

// damon_set_regions: makes the regions cover exactly `ranges` (sorted, disjoint) while keeping
// the history of every region that still intersects one; new space gets fresh regions.
void SetRegions(std::vector<Region>& regions, const std::vector<AddressRange>& ranges);

}  // namespace thp::monitor
