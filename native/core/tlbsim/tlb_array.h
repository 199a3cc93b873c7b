// One set-associative translation array with true-LRU replacement: the building block of the
// L1 dTLB, the L2 STLB, the page-walk caches, the nested TLB and the page-table line cache.
//
// Keys are opaque 63-bit values (callers pack page number and page size); the array adds a
// valid bit. A fully associative array with many ways (the 64-96 entry L1 dTLBs) keeps an
// open-addressing index from key to slot so a lookup costs a hash probe, not a scan of every
// way; its replacement is still exact LRU (the victim is found by a scan only on a miss).
#pragma once

#include <cstdint>
#include <vector>

namespace thp::tlbsim {

struct ArrayShape {
  uint32_t entries = 0;  // 0 disables the array
  uint32_t ways = 0;     // 0 or == entries: fully associative
};

class TlbArray {
 public:
  static constexpr int kMiss = -1;

  TlbArray() = default;
  explicit TlbArray(ArrayShape shape);

  uint32_t entries() const { return static_cast<uint32_t>(keys_.size()); }
  uint32_t sets() const { return sets_; }

  // The slot holding `key`, or kMiss. Does not update recency.
  int Find(uint64_t key) const {
    if (keys_.empty()) return kMiss;
    const uint64_t tagged = key | kValid;
    if (!index_.empty()) return FindIndexed(tagged);
    const uint32_t base = SetOf(key) * ways_;
    for (uint32_t w = 0; w < ways_; ++w) {
      if (keys_[base + w] == tagged) return static_cast<int>(base + w);
    }
    return kMiss;
  }
  // Marks a slot most recently used.
  void Touch(int slot) { stamps_[slot] = ++clock_; }
  // Inserts `key` (which must not be present), evicting the set's LRU entry. Returns the slot,
  // or kMiss for a disabled array.
  int Insert(uint64_t key);
  // Removes `key` if present.
  void Erase(uint64_t key);
  // Removes every entry whose key satisfies pred(key).
  template <typename Pred>
  void EraseIf(Pred pred) {
    for (uint32_t s = 0; s < keys_.size(); ++s) {
      if ((keys_[s] & kValid) && pred(keys_[s] & ~kValid)) Erase(keys_[s] & ~kValid);
    }
  }
  void Clear();

  // Per-slot payload bit (the TLBs keep the cached Dirty bit here).
  bool flag(int slot) const { return flags_[slot] != 0; }
  void set_flag(int slot, bool v) { flags_[slot] = v ? 1 : 0; }

  template <typename Fn>
  void ForEachKey(Fn&& fn) const {
    for (uint64_t k : keys_) {
      if (k & kValid) fn(k & ~kValid);
    }
  }

 private:
  static constexpr uint64_t kValid = uint64_t{1} << 63;
  uint32_t SetOf(uint64_t key) const {
    return set_mask_ ? static_cast<uint32_t>(key & set_mask_) : static_cast<uint32_t>(key % sets_);
  }
  static uint64_t Hash(uint64_t tagged) { return (tagged * 0x9E3779B97F4A7C15ull) >> 20; }
  int FindIndexed(uint64_t tagged) const;
  void IndexInsert(uint64_t tagged, uint32_t slot);
  void IndexErase(uint64_t tagged);

  std::vector<uint64_t> keys_;
  std::vector<uint64_t> stamps_;
  std::vector<uint8_t> flags_;
  std::vector<uint32_t> index_;  // slot + 1, 0 = empty; only for wide fully associative arrays
  uint64_t index_mask_ = 0;
  uint32_t sets_ = 1;
  uint32_t ways_ = 0;
  uint64_t set_mask_ = 0;  // sets_ - 1 when sets_ is a power of two > 1
  uint64_t clock_ = 0;
};

}  // namespace thp::tlbsim
