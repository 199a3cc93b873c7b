// The THP knobs of /sys/kernel/mm/transparent_hugepage (Documentation/admin-guide/mm/transhuge.rst),
// read only: the probe never changes machine state.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "platform/linux/probe/support.h"

namespace thp::platform::probe {

// A sysfs multiple-choice file: "always [madvise] never" -> selected "madvise".
struct Choice {
  std::string selected;  // empty when the file is absent or has no bracketed entry
  std::vector<std::string> choices;
};

Choice ParseChoice(std::string_view text);

struct ThpSizeSetting {
  uint64_t kilobytes = 0;  // from the directory name hugepages-<N>kB
  Choice enabled;          // always / inherit / madvise / never
};

struct ThpSettings : Support {
  Choice enabled;
  Choice defrag;
  // hpage_pmd_size (bytes), shrink_underused, use_zero_page: whichever the kernel has.
  std::map<std::string, uint64_t> values;
  // khugepaged/*: max_ptes_none, max_ptes_swap, max_ptes_shared, pages_to_scan,
  // scan_sleep_millisecs, alloc_sleep_millisecs, defrag, pages_collapsed, full_scans.
  std::map<std::string, uint64_t> khugepaged;
  std::vector<ThpSizeSetting> sizes;  // per-size (mTHP) settings for anonymous memory, ascending
};

ThpSettings ReadThpSettings();

}  // namespace thp::platform::probe
