// Linked-list exact LRU for wide sets; see list_lru.h.
#include "core/tlbsim/list_lru.h"

namespace thp::tlbsim {

ListLru::ListLru(uint32_t sets, uint32_t ways) : ways_(ways), heads_(sets), links_(uint64_t{sets} * ways), valid_(links_.size()) {
  Clear();
}

void ListLru::Clear() {
  // All ways invalid: highest way at the head, way 0 at the tail (taken first).
  for (uint32_t s = 0; s < heads_.size(); ++s) {
    Link* l = &links_[uint64_t{s} * ways_];
    for (uint32_t w = 0; w < ways_; ++w) l[w] = Link{w + 1 < ways_ ? w + 1 : kNone, w > 0 ? w - 1 : kNone};
    heads_[s] = Head{ways_ - 1, 0};
  }
  valid_.assign(valid_.size(), 0);
}

void ListLru::Invalidate(uint32_t set, uint32_t way) {
  Head& h = heads_[set];
  Link* l = &links_[uint64_t{set} * ways_];
  uint8_t* valid = &valid_[uint64_t{set} * ways_];
  Unlink(h, l, way);
  valid[way] = 0;
  // From the tail, step over the invalid ways below `way`; it goes right behind the first way
  // that is valid or higher (or becomes the head if there is none).
  uint32_t before = h.last;
  while (before != kNone && !valid[before] && before < way) before = l[before].prev;
  if (before == kNone) {
    PushFront(h, l, way);
    return;
  }
  const uint32_t after = l[before].next;
  l[way] = Link{before, after};
  l[before].next = way;
  if (after != kNone) l[after].prev = way;
  else h.last = way;
}

}  // namespace thp::tlbsim
