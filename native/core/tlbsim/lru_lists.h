// Exact LRU order of the ways of wide sets (more than NarrowSets::kMaxWays, e.g. the 64-96
// entry fully associative L1 dTLBs): one intrusive circular doubly linked list per set, most
// recent first, so recording a use and finding the victim are O(1) instead of a scan of every
// way. Each set has a sentinel node (index slots + set), so linking needs no branches.
// Invalid ways are kept at the tail, so the tail is always the way a fill should take: an
// invalid one while any exists, else the least recently used.
#pragma once

#include <cstdint>
#include <vector>

namespace thp::tlbsim {

class LruLists {
 public:
  LruLists() = default;
  LruLists(uint32_t sets, uint32_t ways);

  // The way a fill should take (slot numbers are set * ways + way).
  uint32_t Tail(uint32_t set) const { return links_[Sentinel(set)].prev; }
  void MoveToHead(uint32_t set, uint32_t slot) {
    Unlink(slot);
    LinkAfter(Sentinel(set), slot);
  }
  void MoveToTail(uint32_t set, uint32_t slot) {
    Unlink(slot);
    LinkAfter(links_[Sentinel(set)].prev, slot);
  }
  // Every list back to way order (all ways invalid).
  void Reset();

 private:
  struct Link {
    uint32_t prev;
    uint32_t next;
  };
  uint32_t Sentinel(uint32_t set) const { return slots_ + set; }
  void Unlink(uint32_t node) {
    const Link l = links_[node];
    links_[l.prev].next = l.next;
    links_[l.next].prev = l.prev;
  }
  void LinkAfter(uint32_t at, uint32_t node) {
    const uint32_t next = links_[at].next;
    links_[node] = Link{at, next};
    links_[next].prev = node;
    links_[at].next = node;
  }
  uint32_t ways_ = 0;
  uint32_t slots_ = 0;
  std::vector<Link> links_;  // slots, then one sentinel per set
};

}  // namespace thp::tlbsim
