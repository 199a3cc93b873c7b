// Set-associative LRU array; see tlb_array.h.
#include "core/tlbsim/tlb_array.h"

namespace thp::tlbsim {

namespace {
// Fully associative arrays wider than this get a hash index instead of a linear scan.
constexpr uint32_t kScanWays = 16;
}  // namespace

TlbArray::TlbArray(ArrayShape shape) {
  if (shape.entries == 0) return;
  ways_ = shape.ways == 0 || shape.ways > shape.entries ? shape.entries : shape.ways;
  sets_ = shape.entries / ways_;
  if (sets_ == 0) sets_ = 1;
  if (sets_ > 1 && (sets_ & (sets_ - 1)) == 0) set_mask_ = sets_ - 1;
  keys_.assign(uint64_t{sets_} * ways_, 0);
  stamps_.assign(keys_.size(), 0);
  flags_.assign(keys_.size(), 0);
  if (sets_ == 1 && ways_ > kScanWays) {
    uint64_t size = 1;
    while (size < uint64_t{ways_} * 4) size <<= 1;
    index_.assign(size, 0);
    index_mask_ = size - 1;
  }
}

int TlbArray::FindIndexed(uint64_t tagged) const {
  for (uint64_t i = Hash(tagged) & index_mask_;; i = (i + 1) & index_mask_) {
    const uint32_t v = index_[i];
    if (v == 0) return kMiss;
    if (keys_[v - 1] == tagged) return static_cast<int>(v - 1);
  }
}

void TlbArray::IndexInsert(uint64_t tagged, uint32_t slot) {
  uint64_t i = Hash(tagged) & index_mask_;
  while (index_[i] != 0) i = (i + 1) & index_mask_;
  index_[i] = slot + 1;
}

void TlbArray::IndexErase(uint64_t tagged) {
  uint64_t i = Hash(tagged) & index_mask_;
  while (index_[i] != 0 && keys_[index_[i] - 1] != tagged) i = (i + 1) & index_mask_;
  if (index_[i] == 0) return;
  // Backward-shift deletion keeps every remaining key reachable from its home bucket.
  uint64_t hole = i;
  for (uint64_t j = (i + 1) & index_mask_; index_[j] != 0; j = (j + 1) & index_mask_) {
    const uint64_t home = Hash(keys_[index_[j] - 1]) & index_mask_;
    const bool movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
    if (movable) {
      index_[hole] = index_[j];
      hole = j;
    }
  }
  index_[hole] = 0;
}

int TlbArray::Insert(uint64_t key) {
  if (keys_.empty()) return kMiss;
  const uint64_t tagged = key | kValid;
  const uint32_t base = SetOf(key) * ways_;
  uint32_t victim = base;
  for (uint32_t w = 0; w < ways_; ++w) {
    const uint32_t s = base + w;
    if (!(keys_[s] & kValid)) {
      victim = s;
      break;
    }
    if (stamps_[s] < stamps_[victim]) victim = s;
  }
  if (!index_.empty()) {
    if (keys_[victim] & kValid) IndexErase(keys_[victim]);
    keys_[victim] = tagged;
    IndexInsert(tagged, victim);
  } else {
    keys_[victim] = tagged;
  }
  flags_[victim] = 0;
  stamps_[victim] = ++clock_;
  return static_cast<int>(victim);
}

void TlbArray::Erase(uint64_t key) {
  const int slot = Find(key);
  if (slot == kMiss) return;
  if (!index_.empty()) IndexErase(key | kValid);
  keys_[slot] = 0;
  stamps_[slot] = 0;
  flags_[slot] = 0;
}

void TlbArray::Clear() {
  for (auto& k : keys_) k = 0;
  for (auto& s : stamps_) s = 0;
  for (auto& f : flags_) f = 0;
  for (auto& i : index_) i = 0;
}

}  // namespace thp::tlbsim
