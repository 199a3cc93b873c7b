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
  slots_.assign(uint64_t{sets_} * ways_, Slot{});
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
    if ((slots_[v - 1].key & ~kFlag) == tagged) return static_cast<int>(v - 1);
  }
}

void TlbArray::IndexInsert(uint64_t tagged, uint32_t slot) {
  uint64_t i = Hash(tagged) & index_mask_;
  while (index_[i] != 0) i = (i + 1) & index_mask_;
  index_[i] = slot + 1;
}

void TlbArray::IndexErase(uint64_t tagged) {
  uint64_t i = Hash(tagged) & index_mask_;
  while (index_[i] != 0 && (slots_[index_[i] - 1].key & ~kFlag) != tagged) i = (i + 1) & index_mask_;
  if (index_[i] == 0) return;
  // Backward-shift deletion keeps every remaining key reachable from its home bucket.
  uint64_t hole = i;
  for (uint64_t j = (i + 1) & index_mask_; index_[j] != 0; j = (j + 1) & index_mask_) {
    const uint64_t home = Hash(slots_[index_[j] - 1].key & ~kFlag) & index_mask_;
    const bool movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
    if (movable) {
      index_[hole] = index_[j];
      hole = j;
    }
  }
  index_[hole] = 0;
}

int TlbArray::Insert(uint64_t key) {
  if (slots_.empty()) return kMiss;
  const uint64_t tagged = key | kValid;
  const uint32_t base = SetOf(key) * ways_;
  uint32_t victim = base;
  uint64_t oldest = UINT64_MAX;  // in a register: the scan is not a chain of dependent loads
  for (uint32_t w = 0; w < ways_; ++w) {
    const Slot& s = slots_[base + w];
    if (!(s.key & kValid)) {
      victim = base + w;
      break;
    }
    if (s.stamp < oldest) {
      oldest = s.stamp;
      victim = base + w;
    }
  }
  if (!index_.empty()) {
    if (slots_[victim].key & kValid) IndexErase(slots_[victim].key & ~kFlag);
    IndexInsert(tagged, victim);
  }
  slots_[victim].key = tagged;
  slots_[victim].stamp = ++clock_;
  return static_cast<int>(victim);
}

bool TlbArray::Reference(uint64_t key) {
  const int slot = Find(key);
  if (slot != kMiss) {
    Touch(slot);
    return true;
  }
  Insert(key);
  return false;
}

void TlbArray::Erase(uint64_t key) {
  const int slot = Find(key);
  if (slot == kMiss) return;
  if (!index_.empty()) IndexErase(key | kValid);  // before the key is cleared: it finds the slot by key
  slots_[slot] = Slot{};
}

void TlbArray::Clear() {
  for (auto& s : slots_) s = Slot{};
  for (auto& i : index_) i = 0;
}

}  // namespace thp::tlbsim
