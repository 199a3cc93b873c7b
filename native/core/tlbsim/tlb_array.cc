// Set-associative exact-LRU array; see tlb_array.h.
#include "core/tlbsim/tlb_array.h"

namespace thp::tlbsim {

TlbArray::TlbArray(ArrayShape shape) {
  if (shape.entries == 0) return;
  ways_ = shape.ways == 0 || shape.ways > shape.entries ? shape.entries : shape.ways;
  sets_ = shape.entries / ways_;
  if (sets_ == 0) sets_ = 1;
  pow2_sets_ = (sets_ & (sets_ - 1)) == 0;
  set_mask_ = sets_ - 1;
  keys_.assign(uint64_t{sets_} * ways_, 0);
  flags_.assign(keys_.size(), 0);
  layout_ = ways_ > NarrowSets::kMaxWays ? Layout::kWide : Layout::kNarrow;
  if (layout_ == Layout::kWide) {
    index_ = SlotIndex(static_cast<uint32_t>(keys_.size()));
    lru_ = StampLru(sets_, ways_);
  } else {
    narrow_ = NarrowSets(sets_, ways_);
  }
}

uint32_t TlbArray::InsertWide(uint32_t set, uint64_t tagged, uint64_t* evicted) {
  // Fully associative arrays (the L1 dTLB, the PDE cache) get their own copy with the set
  // arithmetic folded away.
  return sets_ == 1 ? InsertWideIn(0, tagged, evicted) : InsertWideIn(set, tagged, evicted);
}

THP_TLBSIM_INLINE uint32_t TlbArray::InsertWideIn(uint32_t set, uint64_t tagged, uint64_t* evicted) {
  const uint32_t victim = set * ways_ + lru_.Victim(set);
  if (keys_[victim] & kValid) {
    *evicted = keys_[victim] & ~kValid;
    index_.Erase(keys_[victim], keys_.data());
  }
  index_.Insert(tagged, victim);  // reads no key: safe before the key is stored
  lru_.Fill(set, victim - set * ways_);
  keys_[victim] = tagged;
  flags_[victim] = 0;
  return victim;
}

void TlbArray::Erase(uint64_t key) {
  if (layout_ == Layout::kOff) return;
  const uint32_t set = SetOf(key);
  const int found = FindIn(set, key | kValid);
  if (found == kMiss) return;
  const uint32_t slot = static_cast<uint32_t>(found);
  if (layout_ == Layout::kWide) {
    index_.Erase(keys_[slot], keys_.data());  // before the key is cleared: it finds the slot by key
    lru_.Invalidate(set, slot - set * ways_);
  } else {
    narrow_.Invalidate(set, slot - set * ways_);
  }
  keys_[slot] = 0;
  flags_[slot] = 0;
}

void TlbArray::Clear() {
  keys_.assign(keys_.size(), 0);
  flags_.assign(flags_.size(), 0);
  if (layout_ == Layout::kWide) {
    index_.Clear();
    lru_.Clear();
  } else {
    narrow_.Clear();
  }
}

}  // namespace thp::tlbsim
