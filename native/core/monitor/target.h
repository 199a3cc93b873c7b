// A monitoring target (Documentation/mm/damon/design.rst, "Execution Model and Data Structures"): either the address space, whose ranges are
// re-derived by the "three regions" rule every ops update (vaddr), or fixed user ranges (fvaddr).
#pragma once

#include <vector>

#include "core/monitor/region.h"

namespace thp::monitor {

struct Target {
  bool fixed = false;                // ranges given by the user, never refreshed
  std::vector<AddressRange> ranges;  // fixed ranges, or the last three-regions result
  std::vector<Region> regions;       // sorted, non-overlapping
};

}  // namespace thp::monitor
