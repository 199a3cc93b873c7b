// Hash index of a wide TLB array; see slot_index.h.
#include "core/tlbsim/slot_index.h"

namespace thp::tlbsim {

SlotIndex::SlotIndex(uint32_t slots) : next_(slots, kNone) {
  uint64_t size = 1;
  while (size < uint64_t{slots} * 4) size <<= 1;
  heads_.assign(size, kNone);
  mask_ = size - 1;
}

}  // namespace thp::tlbsim
