// Linked-list exact LRU for wide sets; see list_lru.h.
#include "core/tlbsim/list_lru.h"

namespace thp::tlbsim {

ListLru::ListLru(uint32_t sets, uint32_t ways) : ways_(ways), heads_(sets), links_(uint64_t{sets} * ways) {
  Clear();
}

void ListLru::Clear() {
  // All ways invalid: highest way at the head, way 0 at the tail (taken first).
  for (uint32_t s = 0; s < heads_.size(); ++s) {
    Link* l = &links_[uint64_t{s} * ways_];
    for (uint32_t w = 0; w < ways_; ++w) l[w] = Link{w + 1 < ways_ ? w + 1 : kNone, w > 0 ? w - 1 : kNone};
    heads_[s] = Head{ways_ - 1, 0};
  }
}

}  // namespace thp::tlbsim
