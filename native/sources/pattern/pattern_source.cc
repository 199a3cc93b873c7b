#include "sources/pattern/pattern_source.h"

#include <utility>

namespace thp::sources::pattern {

PatternSource::PatternSource(std::vector<monitor::AddressRange> mappings, uint64_t seed)
    : mappings_(std::move(mappings)), rng_(seed) {}

void PatternSource::SetHotRanges(std::vector<HotRange> hot) { hot_ = std::move(hot); }

void PatternSource::SetMappings(std::vector<monitor::AddressRange> mappings) { mappings_ = std::move(mappings); }

monitor::AccessCheck PatternSource::CheckAccess(uint64_t addr) {
  // Each check consumes one draw, so results depend only on the seed and the call sequence.
  const uint64_t draw = rng_.Below(10000);
  for (const auto& h : hot_)
    if (addr >= h.start && addr < h.end) return {draw < h.probability_bp, monitor::kMinRegionSize};
  return {false, monitor::kMinRegionSize};
}

}  // namespace thp::sources::pattern
