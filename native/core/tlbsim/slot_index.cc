// Hash index of a wide TLB array; see slot_index.h.
#include "core/tlbsim/slot_index.h"

namespace thp::tlbsim {

SlotIndex::SlotIndex(uint32_t slots) {
  uint64_t size = 1;
  while (size < uint64_t{slots} * 4) size <<= 1;
  buckets_.assign(size, 0);
  mask_ = size - 1;
}

void SlotIndex::Erase(uint64_t key, const uint64_t* keys) {
  uint64_t i = Home(key);
  while (buckets_[i] != 0 && keys[buckets_[i] - 1] != key) i = (i + 1) & mask_;
  if (buckets_[i] == 0) return;
  // Backward-shift deletion keeps every remaining key reachable from its home bucket.
  uint64_t hole = i;
  for (uint64_t j = (i + 1) & mask_; buckets_[j] != 0; j = (j + 1) & mask_) {
    const uint64_t home = Home(keys[buckets_[j] - 1]);
    const bool movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
    if (movable) {
      buckets_[hole] = buckets_[j];
      hole = j;
    }
  }
  buckets_[hole] = 0;
}

}  // namespace thp::tlbsim
