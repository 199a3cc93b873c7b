#include "platform/linux/memory/address_range.h"

#include <algorithm>

namespace thp::platform {

std::vector<UnitRun> SplitByMappings(const UnitSpan& span, const std::vector<AddressRange>& mappings) {
  std::vector<UnitRun> runs;
  const auto add = [&runs, &span](uint64_t from, uint64_t to, bool mapped) {
    if (to <= from) return;
    if (!runs.empty() && runs.back().mapped == mapped && runs.back().first + runs.back().count * span.unit == from) {
      runs.back().count += (to - from) / span.unit;
    } else {
      runs.push_back({from, (to - from) / span.unit, mapped});
    }
  };
  uint64_t at = span.first;  // units before `at` are in runs already
  for (const auto& m : mappings) {
    if (at >= span.last) break;
    if (m.end() <= at) continue;
    // The units overlapping this mapping: from the one holding its first byte to the one holding its last.
    const uint64_t from = std::max(at, m.start / span.unit * span.unit);
    if (from >= span.last) break;
    const uint64_t to = std::min(span.last, (m.end() + span.unit - 1) / span.unit * span.unit);
    add(at, from, false);
    add(from, to, true);
    at = to;
  }
  add(at, span.last, false);
  return runs;
}

}  // namespace thp::platform
