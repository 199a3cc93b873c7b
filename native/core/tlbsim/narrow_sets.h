// Per-set bookkeeping of narrow sets (up to kMaxWays ways, e.g. a 12-way STLB, a 16-way
// page-table line cache, the small fully associative walk caches): for each way a one-byte
// fingerprint of its key, and the set's exact LRU order as one 64-bit word, 32 bytes per set,
// so that a lookup reads one cache line of bookkeeping and at most the one key line a
// fingerprint points to. Fingerprints are compared 16 at a time (ByteRow); they only narrow the
// candidates, the caller confirms each with its full key.
//
// The order word holds a way number per 4-bit position, most recent first: a fill takes the
// way in the last position and shifts it to the front (a few integer instructions, no search);
// a hit finds its way's position with a nibble compare and moves it to the front by shift and
// mask. Invalid ways sit behind every valid one, lowest way last, so the last position always
// names the victim the rule asks for: the lowest invalid way while any exists, else the least
// recently used.
#pragma once

#include <cstdint>
#include <vector>

#include "core/tlbsim/bits.h"
#include "core/tlbsim/byte_row.h"

namespace thp::tlbsim {

class NarrowSets {
 public:
  static constexpr uint32_t kMaxWays = ByteRow::kLanes;

  NarrowSets() = default;
  NarrowSets(uint32_t sets, uint32_t ways);

  static uint8_t Fingerprint(uint64_t key) { return static_cast<uint8_t>((key * 0x9E3779B97F4A7C15ull) >> 57); }

  // Calls match(way) for each way whose fingerprint is `fp`, lowest first, until it returns true;
  // returns that way, or -1.
  template <typename Match>
  int FindWay(uint32_t set, uint8_t fp, Match&& match) const {
    for (uint32_t hits = ByteRow::Load(meta_[set].fp).EqualMask(fp) & live_; hits != 0; hits &= hits - 1) {
      const uint32_t way = ByteRow::FirstLane(hits);
      if (match(way)) return static_cast<int>(way);
    }
    return -1;
  }
  // Makes `way` the most recent of its set.
  void Use(uint32_t set, uint32_t way) {
    uint64_t& order = meta_[set].order;
    if ((order & 0xF) == way) return;
    // The nibble holding `way` becomes zero; the lowest zero nibble's top bit is the lowest bit
    // the borrow trick sets (ways fill positions 0..ways-1, each once, so it lies among them).
    const uint64_t x = order ^ (way * kNibbleOnes);
    const unsigned at = LowestBit((x - kNibbleOnes) & ~x & (kNibbleOnes << 3)) & ~3u;
    const uint64_t below = order & ((uint64_t{1} << at) - 1);
    const uint64_t above = order & (~uint64_t{0} << at << 4);
    order = above | below << 4 | way;
  }
  // The way a fill should take: the lowest invalid one while any exists, else the least
  // recently used.
  uint32_t Victim(uint32_t set) const { return static_cast<uint32_t>(meta_[set].order >> last_shift_) & 0xF; }
  // `way`, the set's Victim, now holds a valid key with fingerprint `fp`, most recently used.
  void Fill(uint32_t set, uint32_t way, uint8_t fp) {
    Meta& m = meta_[set];
    m.fp[way] = fp;
    m.valid |= 1u << way;
    m.order = (m.order << 4 & order_mask_) | way;
  }
  // Marks `way` invalid: it moves behind the valid ways, among the invalid ones by number.
  void Invalidate(uint32_t set, uint32_t way);
  void Clear();
  const void* SetMeta(uint32_t set) const { return &meta_[set]; }

 private:
  static constexpr uint64_t kNibbleOnes = 0x1111111111111111ull;
  struct alignas(32) Meta {
    uint8_t fp[ByteRow::kLanes];
    uint64_t order;  // way at each recency position, 4 bits each, position 0 (most recent) lowest
    uint32_t valid;  // bit w set while way w holds a key
  };
  uint32_t ways_ = 0;
  uint32_t live_ = 0;        // bit w set for each way w of a set
  unsigned last_shift_ = 0;  // 4 * (ways - 1): the last position
  uint64_t order_mask_ = 0;  // the bits of positions 0..ways-1
  std::vector<Meta> meta_;
};

}  // namespace thp::tlbsim
