// Hash index from key to slot for wide TLB arrays, so a lookup costs a probe or two instead of
// a scan of every way. Chained: a head slot per bucket (at least four buckets per slot, so
// chains are short) and a next slot per slot; it compares against the caller's key array, so
// it keeps no copy of the keys. Insert and erase are a few stores, with no rehashing.
#pragma once

#include <cstdint>
#include <vector>

namespace thp::tlbsim {

class SlotIndex {
 public:
  static constexpr int kMiss = -1;

  SlotIndex() = default;
  explicit SlotIndex(uint32_t slots);

  // The slot whose key in `keys` equals `key`, or kMiss.
  int Find(uint64_t key, const uint64_t* keys) const {
    for (uint32_t s = heads_[Home(key)]; s != kNone; s = next_[s]) {
      if (keys[s] == key) return static_cast<int>(s);
    }
    return kMiss;
  }
  // Adds `slot`, whose key is `key` (not present).
  void Insert(uint64_t key, uint32_t slot) {
    uint32_t& head = heads_[Home(key)];
    next_[slot] = head;
    head = slot;
  }
  // Removes `key` if present; `keys` must still hold it.
  void Erase(uint64_t key, const uint64_t* keys) {
    uint32_t* link = &heads_[Home(key)];
    while (*link != kNone && keys[*link] != key) link = &next_[*link];
    if (*link != kNone) *link = next_[*link];
  }
  void Clear() { heads_.assign(heads_.size(), kNone); }

 private:
  static constexpr uint32_t kNone = ~uint32_t{0};
  uint64_t Home(uint64_t key) const { return ((key * 0x9E3779B97F4A7C15ull) >> 20) & mask_; }
  std::vector<uint32_t> heads_;
  std::vector<uint32_t> next_;
  uint64_t mask_ = 0;
};

}  // namespace thp::tlbsim
