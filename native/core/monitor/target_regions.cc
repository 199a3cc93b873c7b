#include "core/monitor/target_regions.h"

#include <algorithm>
#include <utility>

namespace thp::monitor {

std::optional<std::vector<AddressRange>> ThreeRegions(const std::vector<AddressRange>& mappings) {
  if (mappings.empty()) return std::nullopt;
  AddressRange first_gap, second_gap;  // first_gap is the largest; ties keep the earlier gap
  for (size_t i = 1; i < mappings.size(); i++) {
    const AddressRange gap{mappings[i - 1].end, mappings[i].start};
    if (gap.start >= gap.end) continue;
    if (gap.size() > first_gap.size()) {
      second_gap = first_gap;
      first_gap = gap;
    } else if (gap.size() > second_gap.size()) {
      second_gap = gap;
    }
  }
  if (first_gap.size() == 0 || second_gap.size() == 0) return std::nullopt;
  if (first_gap.start > second_gap.start) std::swap(first_gap, second_gap);
  return std::vector<AddressRange>{
      {AlignUp(mappings.front().start, kMinRegionSize), AlignUp(first_gap.start, kMinRegionSize)},
      {AlignUp(first_gap.end, kMinRegionSize), AlignUp(second_gap.start, kMinRegionSize)},
      {AlignUp(second_gap.end, kMinRegionSize), AlignUp(mappings.back().end, kMinRegionSize)},
  };
}

namespace {
bool Intersects(const Region& r, const AddressRange& a) { return !(r.end <= a.start || a.end <= r.start); }
}  // namespace

void SetRegions(std::vector<Region>& regions, const std::vector<AddressRange>& ranges) {
  // 1. Drop regions that intersect no range.
  regions.erase(std::remove_if(regions.begin(), regions.end(),
                               [&](const Region& r) {
                                 return std::none_of(ranges.begin(), ranges.end(),
                                                     [&](const AddressRange& a) { return Intersects(r, a); });
                               }),
                regions.end());
  // 2. Fit the regions to each range, filling holes with fresh regions.
  for (const AddressRange& range : ranges) {
    const uint64_t start = AlignDown(range.start, kMinRegionSize), end = AlignUp(range.end, kMinRegionSize);
    auto first = std::find_if(regions.begin(), regions.end(), [&](const Region& r) { return Intersects(r, range); });
    if (first == regions.end()) {
      auto at = std::find_if(regions.begin(), regions.end(), [&](const Region& r) { return r.start >= end; });
      regions.insert(at, NewRegion(start, end));
      continue;
    }
    auto last = first;
    while (last + 1 != regions.end() && Intersects(*(last + 1), range)) ++last;
    first->start = start;
    last->end = end;
    std::vector<Region> filled;
    for (auto it = first; it <= last; ++it) {
      if (!filled.empty() && filled.back().end < it->start) filled.push_back(NewRegion(filled.back().end, it->start));
      filled.push_back(*it);
    }
    const auto pos = first - regions.begin();
    regions.erase(first, last + 1);
    regions.insert(regions.begin() + pos, filled.begin(), filled.end());
  }
}

}  // namespace thp::monitor
