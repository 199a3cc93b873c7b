// Open-addressing hash index from key to slot for wide TLB arrays, so a lookup costs a probe or
// two instead of a scan of every way. It stores slot+1 (0 = empty bucket) in a flat array of
// at least four buckets per slot, and compares against the caller's key array, so it keeps no
// copy of the keys.
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
    for (uint64_t i = Home(key);; i = (i + 1) & mask_) {
      const uint32_t v = buckets_[i];
      if (v == 0) return kMiss;
      if (keys[v - 1] == key) return static_cast<int>(v - 1);
    }
  }
  // Adds `slot`, whose key is `key` (not present).
  void Insert(uint64_t key, uint32_t slot) {
    uint64_t i = Home(key);
    while (buckets_[i] != 0) i = (i + 1) & mask_;
    buckets_[i] = slot + 1;
  }
  // Removes `key` if present; `keys` must still hold it.
  void Erase(uint64_t key, const uint64_t* keys);
  void Clear() { buckets_.assign(buckets_.size(), 0); }

 private:
  uint64_t Home(uint64_t key) const { return ((key * 0x9E3779B97F4A7C15ull) >> 20) & mask_; }
  std::vector<uint32_t> buckets_;
  uint64_t mask_ = 0;
};

}  // namespace thp::tlbsim
