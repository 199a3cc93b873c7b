// One set-associative translation array with exact LRU replacement: the building block of the
// L1 dTLB, the L2 STLB, the page-walk caches, the nested TLB and the page-table line cache.
//
// Keys are opaque 63-bit values (callers pack page number and page size); the array adds a
// valid bit (63). Each slot also carries a payload flag (the TLBs keep the cached Dirty bit
// there). Two layouts, chosen by associativity, compute the same thing:
// - narrow sets (up to NarrowSets::kMaxWays ways, e.g. a 12-way STLB or a 16-way line cache):
//   per-way key fingerprints and LRU ranks packed in 32 bytes per set (NarrowSets) pick the
//   way, so a lookup reads the key of a fingerprint match only;
// - wide sets (the 64-96 entry fully associative L1 dTLBs): a hash index finds the slot, a hit
//   writes one 16-bit stamp and a fill finds the oldest stamp with a SIMD scan (StampLru).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/tlbsim/compiler.h"
#include "core/tlbsim/narrow_sets.h"
#include "core/tlbsim/prefetch.h"
#include "core/tlbsim/slot_index.h"
#include "core/tlbsim/stamp_lru.h"

namespace thp::tlbsim {

struct ArrayShape {
  uint32_t entries = 0;  // 0 disables the array
  uint32_t ways = 0;     // 0 or == entries: fully associative
};

class TlbArray {
 public:
  static constexpr int kMiss = -1;
  static constexpr uint64_t kNoKey = ~uint64_t{0};

  TlbArray() = default;
  explicit TlbArray(ArrayShape shape);

  uint32_t entries() const { return static_cast<uint32_t>(keys_.size()); }
  uint32_t sets() const { return sets_; }

  // The slot holding `key`, made most recently used, or kMiss.
  THP_TLBSIM_INLINE int Hit(uint64_t key) {
    if (layout_ == Layout::kWide && sets_ == 1) {
      // A fully associative L1 dTLB: one hash probe and one stamp.
      const int slot = index_.Find(key | kValid, keys_.data());
      if (slot != kMiss) lru_.Use(0, static_cast<uint32_t>(slot));
      return slot;
    }
    if (layout_ == Layout::kOff) return kMiss;
    const uint32_t set = SetOf(key);
    const int slot = FindIn(set, key | kValid);
    if (slot != kMiss) Use(set, static_cast<uint32_t>(slot));
    return slot;
  }
  // Hints the CPU to fetch what a lookup of `key` reads first (batch simulation looks ahead).
  void PrefetchSet(uint64_t key) const {
    if (layout_ == Layout::kNarrow) PrefetchHint(narrow_.SetMeta(SetOf(key)));
  }
  // Inserts `key` (which must not be present), evicting the set's LRU entry. Returns the slot,
  // or kMiss for a disabled array.
  int Insert(uint64_t key) {
    uint64_t evicted;
    return Insert(key, &evicted);
  }
  // The same, also storing the key the fill evicted in *evicted (kNoKey if its slot was empty).
  int Insert(uint64_t key, uint64_t* evicted) {
    *evicted = kNoKey;
    return layout_ == Layout::kOff ? kMiss : static_cast<int>(InsertIn(SetOf(key), key | kValid, evicted));
  }
  // A cache access: true on a hit (made most recent), false on a miss (then inserted).
  THP_TLBSIM_INLINE bool Reference(uint64_t key) {
    if (layout_ == Layout::kOff) return false;
    const uint32_t set = SetOf(key);
    const int slot = FindIn(set, key | kValid);
    if (slot != kMiss) {
      Use(set, static_cast<uint32_t>(slot));
      return true;
    }
    uint64_t evicted;
    InsertIn(set, key | kValid, &evicted);
    return false;
  }
  // Removes `key` if present.
  void Erase(uint64_t key);
  // Removes every entry whose key satisfies pred(key).
  template <typename Pred>
  void EraseIf(Pred pred) {
    for (const uint64_t k : keys_) {
      if ((k & kValid) && pred(k & ~kValid)) Erase(k & ~kValid);
    }
  }
  void Clear();

  // Per-slot payload bit.
  bool flag(int slot) const { return flags_[slot] != 0; }
  void set_flag(int slot, bool v) { flags_[slot] = v ? 1 : 0; }

  template <typename Fn>
  void ForEachKey(Fn&& fn) const {
    for (const uint64_t k : keys_) {
      if (k & kValid) fn(k & ~kValid);
    }
  }

 private:
  static constexpr uint64_t kValid = uint64_t{1} << 63;
  // Narrow sets keep per-set fingerprints and ranks, wide sets a hash index and stamps.
  enum class Layout : uint8_t { kOff, kNarrow, kWide };
  uint32_t SetOf(uint64_t key) const {
    return pow2_sets_ ? static_cast<uint32_t>(key & set_mask_) : static_cast<uint32_t>(key % sets_);
  }
  // `tagged` is key | kValid.
  int FindIn(uint32_t set, uint64_t tagged) const {
    if (layout_ == Layout::kWide) return index_.Find(tagged, keys_.data());
    const uint64_t* k = &keys_[size_t{set} * ways_];
    const int way = narrow_.FindWay(set, NarrowSets::Fingerprint(tagged), [k, tagged](uint32_t w) { return k[w] == tagged; });
    return way < 0 ? kMiss : static_cast<int>(set * ways_ + static_cast<uint32_t>(way));
  }
  void Use(uint32_t set, uint32_t slot) {
    if (layout_ == Layout::kWide) lru_.Use(set, slot - set * ways_);
    else narrow_.Use(set, slot - set * ways_);
  }
  // Narrow sets inline (the line cache and the STLB fill on most walks), wide ones out of line.
  // Stores the key it replaces in *evicted if that was valid (leaves it alone otherwise).
  uint32_t InsertIn(uint32_t set, uint64_t tagged, uint64_t* evicted) {
    if (layout_ == Layout::kWide) return InsertWide(set, tagged, evicted);
    const uint32_t way = narrow_.Victim(set);
    const uint32_t slot = set * ways_ + way;
    narrow_.Fill(set, way, NarrowSets::Fingerprint(tagged));
    if (keys_[slot] & kValid) *evicted = keys_[slot] & ~kValid;
    keys_[slot] = tagged;
    flags_[slot] = 0;
    return slot;
  }
  uint32_t InsertWide(uint32_t set, uint64_t tagged, uint64_t* evicted);
  THP_TLBSIM_INLINE uint32_t InsertWideIn(uint32_t set, uint64_t tagged, uint64_t* evicted);

  std::vector<uint64_t> keys_;  // key | kValid, or 0 for an empty slot; slot = set * ways + way
  std::vector<uint8_t> flags_;
  uint32_t sets_ = 1;
  uint32_t ways_ = 0;
  uint64_t set_mask_ = 0;  // sets_ - 1 when sets_ is a power of two
  bool pow2_sets_ = true;
  Layout layout_ = Layout::kOff;
  NarrowSets narrow_;  // narrow sets
  SlotIndex index_;    // wide sets
  StampLru lru_;       // wide sets
};

}  // namespace thp::tlbsim
