// Per-set LRU lists; see lru_lists.h.
#include "core/tlbsim/lru_lists.h"

namespace thp::tlbsim {

LruLists::LruLists(uint32_t sets, uint32_t ways) : ways_(ways), slots_(sets * ways), links_(uint64_t{sets} * ways + sets) {
  Reset();
}

void LruLists::Reset() {
  const uint32_t sets = static_cast<uint32_t>(links_.size()) - slots_;
  for (uint32_t s = 0; s < sets; ++s) {
    const uint32_t sentinel = Sentinel(s);
    links_[sentinel] = Link{sentinel, sentinel};
    for (uint32_t slot = s * ways_; slot < (s + 1) * ways_; ++slot) LinkAfter(links_[sentinel].prev, slot);
  }
}

}  // namespace thp::tlbsim
