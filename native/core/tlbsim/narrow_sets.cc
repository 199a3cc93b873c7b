// Fingerprints and LRU order words of narrow sets; see narrow_sets.h.
#include "core/tlbsim/narrow_sets.h"

namespace thp::tlbsim {

NarrowSets::NarrowSets(uint32_t sets, uint32_t ways)
    : ways_(ways),
      live_((1u << ways) - 1),
      last_shift_(4 * (ways - 1)),
      order_mask_(ways == kMaxWays ? ~uint64_t{0} : (uint64_t{1} << (4 * ways)) - 1),
      meta_(sets) {
  Clear();
}

void NarrowSets::Invalidate(uint32_t set, uint32_t way) {
  Meta& m = meta_[set];
  m.valid &= ~(1u << way);
  // Valid ways keep their order; the invalid ones follow, highest way first.
  uint64_t order = 0;
  unsigned at = 0;
  for (uint32_t p = 0; p < ways_; ++p) {
    const uint32_t w = static_cast<uint32_t>(m.order >> (4 * p)) & 0xF;
    if (m.valid & (1u << w)) order |= uint64_t{w} << (4 * at++);
  }
  for (uint32_t w = ways_; w-- > 0;) {
    if (!(m.valid & (1u << w))) order |= uint64_t{w} << (4 * at++);
  }
  m.order = order;
}

void NarrowSets::Clear() {
  for (Meta& m : meta_) {
    for (uint32_t w = 0; w < ByteRow::kLanes; ++w) m.fp[w] = 0;
    m.valid = 0;
    m.order = 0;
    for (uint32_t p = 0; p < ways_; ++p) m.order |= uint64_t{ways_ - 1 - p} << (4 * p);
  }
}

}  // namespace thp::tlbsim
