// Fingerprints and recency ranks of narrow sets; see narrow_sets.h.
#include "core/tlbsim/narrow_sets.h"

namespace thp::tlbsim {

NarrowSets::NarrowSets(uint32_t sets, uint32_t ways) : ways_(ways), meta_(sets) {
  for (uint32_t w = 0; w < ways; ++w) live_[w / 8] |= uint64_t{0x80} << (8 * (w % 8));
  Clear();
}

void NarrowSets::Invalidate(uint32_t set, uint32_t way) {
  Meta& m = meta_[set];
  const uint8_t old = lanes::Get(m.rank[way / 8], way % 8);
  // Valid ways less recent than `way` (rank above it, but not kInvalid) move up by one.
  for (unsigned k = 0; k < 2; ++k) {
    const uint64_t older = lanes::AtLeast(m.rank[k], static_cast<uint8_t>(old + 1)) & ~lanes::Equal(m.rank[k], kInvalid);
    m.rank[k] -= older >> 7;
  }
  m.rank[way / 8] = lanes::Set(m.rank[way / 8], way % 8, kInvalid);
}

void NarrowSets::Clear() {
  for (Meta& m : meta_) m = Meta{{0, 0}, {lanes::Broadcast(kInvalid), lanes::Broadcast(kInvalid)}};
}

}  // namespace thp::tlbsim
