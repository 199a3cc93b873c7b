// Per-set bookkeeping of narrow sets (up to kMaxWays ways, e.g. a 12-way STLB, a 16-way
// page-table line cache, the small fully associative walk caches): for each way a one-byte
// fingerprint of its key and a one-byte recency rank, 32 bytes per set, so that a lookup
// reads one cache line of bookkeeping and at most the one key line a fingerprint points to,
// and LRU updates touch no per-way stamps. With SSE2 (every x86-64) each operation is a few
// 16-lane byte instructions (ByteRow); elsewhere the same operations run as plain loops.
//
// Ranks give the exact LRU order: a valid way's rank is how many valid ways of its set were
// used more recently (0 = most recent); invalid ways and unused lanes hold kInvalid.
// Fingerprints only narrow the candidates; the caller confirms each with its full key.
#pragma once

#include <cstdint>
#include <vector>

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
    Meta& m = meta_[set];
    // Every way more recent than `way` ages by one; invalid lanes (kInvalid) never qualify.
    ByteRow::Load(m.rank).AgeBelow(m.rank[way]).WithLane(way, 0).Store(m.rank);
  }
  // The way a fill should take: the first invalid one, else the least recently used. A way of
  // rank ways-1 exists only when every way is valid (ranks count valid ways), so it is looked
  // for first: full sets, the usual case, then need one compare.
  uint32_t Victim(uint32_t set) const {
    const ByteRow rank = ByteRow::Load(meta_[set].rank);
    const uint32_t oldest = rank.EqualMask(static_cast<uint8_t>(ways_ - 1)) & live_;
    if (oldest != 0) return ByteRow::FirstLane(oldest);
    return ByteRow::FirstLane(rank.EqualMask(kInvalid) & live_);
  }
  // `way` now holds a key with fingerprint `fp`, most recently used.
  void Fill(uint32_t set, uint32_t way, uint8_t fp) {
    Meta& m = meta_[set];
    ByteRow::Load(m.fp).WithLane(way, fp).Store(m.fp);
    Use(set, way);
  }
  // Marks `way` invalid; the ways it was more recent than move up, so ranks stay 0..valid-1.
  void Invalidate(uint32_t set, uint32_t way);
  void Clear();
  const void* SetMeta(uint32_t set) const { return &meta_[set]; }

 private:
  static constexpr uint8_t kInvalid = 0x7F;
  struct alignas(32) Meta {
    uint8_t fp[ByteRow::kLanes];
    uint8_t rank[ByteRow::kLanes];
  };
  uint32_t ways_ = 0;
  uint32_t live_ = 0;  // bit w set for each way w of a set
  std::vector<Meta> meta_;
};

}  // namespace thp::tlbsim
