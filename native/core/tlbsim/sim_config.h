// Plain configuration of one simulated machine: TLB levels, page-walk caches, nested paging
// and the cost model. Presets (presets.h) fill it; the TS layer validates overrides before
// they reach here, so nothing in this struct is re-checked by the simulator.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/tlbsim/page_table.h"
#include "core/tlbsim/tlb_array.h"

namespace thp::tlbsim {

constexpr uint8_t SizeBit(PageSize s) { return static_cast<uint8_t>(1u << static_cast<unsigned>(s)); }
constexpr uint8_t kAllSizes = 0x7;

// One array of a TLB level and the page sizes it holds. A translation of a size the level has
// no array for is "smashed" into the largest supported size below it (Zen stores 1 GiB pages
// as 2 MiB entries; ChampSim's 4 KiB-only TLBs store everything as 4 KiB entries).
struct TlbArrayConfig {
  ArrayShape shape;
  uint8_t sizes = kAllSizes;
};

struct TlbLevelConfig {
  std::vector<TlbArrayConfig> arrays;
};

// Cycle costs (the cost model). A walk reference costs cache_ref_cycles when its page-table
// line is in the modelled cache and dram_ref_cycles otherwise; base_access_cycles is the cost
// of an access apart from translation, used only for predicted speedups.
struct CostConfig {
  double l2_hit_cycles = 7.5;
  double cache_ref_cycles = 20;
  double dram_ref_cycles = 300;
  double base_access_cycles = 40;
};

struct NestedConfig {
  bool enabled = false;
  PageSize host_page = PageSize::k4K;
  int host_levels = 4;
  ArrayShape nested_tlb;  // caches guest-physical -> host-physical translations (host page granularity)
  ArrayShape host_pwc[5];
};

struct SimConfig {
  std::string name;
  int levels = 4;
  TlbLevelConfig l1;
  TlbLevelConfig l2;
  // Page-walk caches, indexed by the table level of the cached non-leaf entry:
  // 1 = PDE (tag VA[47:21]), 2 = PDPTE (VA[47:30]), 3 = PML4E (VA[47:39]), 4 = PML5E. [0] unused.
  ArrayShape pwc[5];
  // Cache lines of page-table entries that the data caches keep (a share of L2/L3 capacity).
  ArrayShape pt_cache;
  NestedConfig nested;
  CostConfig cost;
};

}  // namespace thp::tlbsim
