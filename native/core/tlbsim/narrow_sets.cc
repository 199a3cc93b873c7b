// Fingerprints and recency ranks of narrow sets; see narrow_sets.h.
#include "core/tlbsim/narrow_sets.h"

namespace thp::tlbsim {

NarrowSets::NarrowSets(uint32_t sets, uint32_t ways) : ways_(ways), live_((1u << ways) - 1), meta_(sets) { Clear(); }

void NarrowSets::Invalidate(uint32_t set, uint32_t way) {
  Meta& m = meta_[set];
  const uint8_t old = m.rank[way];
  // Valid ways less recent than `way` (rank above it, but not kInvalid) move up by one.
  for (uint32_t w = 0; w < ways_; ++w) {
    if (m.rank[w] > old && m.rank[w] != kInvalid) --m.rank[w];
  }
  m.rank[way] = kInvalid;
}

void NarrowSets::Clear() {
  for (Meta& m : meta_) {
    for (uint32_t w = 0; w < ByteRow::kLanes; ++w) {
      m.fp[w] = 0;
      m.rank[w] = kInvalid;
    }
  }
}

}  // namespace thp::tlbsim
