// Exact LRU order of the ways of wide sets (more than NarrowSets::kMaxWays, e.g. the 64-96
// entry fully associative L1 dTLBs and PDE caches): each set's ways form a doubly linked list,
// most recent at the head. A hit unlinks its way and pushes it to the head; a fill takes the
// tail and does the same, so both are a handful of loads and stores with no search (walk-heavy
// streams fill on nearly every access).
//
// Invalid ways sit at the tail, lowest way last, behind every valid one: the tail is then the
// victim the array's rule asks for -- the lowest invalid way while any exists, else the least
// recently used. Invalidation, which is rare (TLB shootdowns), re-links the way into that
// order by a walk from the tail.
#pragma once

#include <cstdint>
#include <vector>

namespace thp::tlbsim {

class ListLru {
 public:
  ListLru() = default;
  ListLru(uint32_t sets, uint32_t ways);

  // Makes `way` the most recent of its set (a hit).
  void Use(uint32_t set, uint32_t way) {
    Head& h = heads_[set];
    if (h.first == way) return;
    Link* l = &links_[uint64_t{set} * ways_];
    Unlink(h, l, way);
    PushFront(h, l, way);
  }
  // The way a fill should take: the lowest invalid one while any exists, else the least
  // recently used. The caller refills it at once (Fill).
  uint32_t Victim(uint32_t set) const { return heads_[set].last; }
  // `way`, the set's Victim, was just refilled: it moves from the tail to the head.
  void Fill(uint32_t set, uint32_t way) {
    Head& h = heads_[set];
    if (h.first == way) return;  // one way, or it already leads
    Link* l = &links_[uint64_t{set} * ways_];
    h.last = l[way].prev;
    l[h.last].next = kNone;
    l[way] = Link{kNone, h.first};
    l[h.first].prev = way;
    h.first = way;
  }
  // Marks `way` invalid; valid(w) tells whether another way w holds a key.
  template <typename Valid>
  void Invalidate(uint32_t set, uint32_t way, Valid&& valid) {
    Head& h = heads_[set];
    Link* l = &links_[uint64_t{set} * ways_];
    Unlink(h, l, way);
    // From the tail, step over the invalid ways below `way`; it goes right behind the first way
    // that is valid or higher (or becomes the head if there is none).
    uint32_t before = h.last;
    while (before != kNone && !valid(before) && before < way) before = l[before].prev;
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
  void Clear();

 private:
  static constexpr uint32_t kNone = ~uint32_t{0};
  struct Link {
    uint32_t prev;  // towards the head (more recent)
    uint32_t next;  // towards the tail
  };
  struct Head {
    uint32_t first;
    uint32_t last;
  };
  static void Unlink(Head& h, Link* l, uint32_t way) {
    const Link w = l[way];
    if (w.prev != kNone) l[w.prev].next = w.next;
    else h.first = w.next;
    if (w.next != kNone) l[w.next].prev = w.prev;
    else h.last = w.prev;
  }
  static void PushFront(Head& h, Link* l, uint32_t way) {
    l[way] = Link{kNone, h.first};
    if (h.first != kNone) l[h.first].prev = way;
    else h.last = way;
    h.first = way;
  }

  uint32_t ways_ = 0;
  std::vector<Head> heads_;
  std::vector<Link> links_;  // links_[set * ways + way]
};

}  // namespace thp::tlbsim
