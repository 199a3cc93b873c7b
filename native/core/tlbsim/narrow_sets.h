// Per-set bookkeeping of narrow sets (up to kMaxWays ways, e.g. a 12-way STLB, a 16-way
// page-table line cache, the small fully associative walk caches): for each way a one-byte
// fingerprint of its key and a one-byte recency rank, 32 bytes per set, so that a lookup
// reads one cache line of bookkeeping and at most the one key line a fingerprint points to,
// and LRU updates touch no per-way stamps.
//
// Ranks give the exact LRU order: a valid way's rank is how many valid ways of its set were
// used more recently (0 = most recent); invalid ways and unused lanes hold kInvalid.
// Fingerprints only narrow the candidates; the caller confirms each with its full key.
#pragma once

#include <cstdint>
#include <vector>

#include "core/tlbsim/byte_lanes.h"

namespace thp::tlbsim {

class NarrowSets {
 public:
  static constexpr uint32_t kMaxWays = 16;

  NarrowSets() = default;
  NarrowSets(uint32_t sets, uint32_t ways);

  static uint8_t Fingerprint(uint64_t key) { return static_cast<uint8_t>((key * 0x9E3779B97F4A7C15ull) >> 57); }

  // Calls match(way) for each way whose fingerprint is `fp`, lowest first, until it returns true;
  // returns that way, or -1.
  template <typename Match>
  int FindWay(uint32_t set, uint8_t fp, Match&& match) const {
    const Meta& m = meta_[set];
    for (unsigned k = 0; k < 2; ++k) {
      for (uint64_t hits = lanes::Equal(m.fp[k], fp) & live_[k]; hits != 0; hits &= hits - 1) {
        const uint32_t way = 8 * k + lanes::FirstLane(hits);
        if (match(way)) return static_cast<int>(way);
      }
    }
    return -1;
  }
  // Makes `way` the most recent of its set.
  void Use(uint32_t set, uint32_t way) {
    Meta& m = meta_[set];
    const uint8_t old = lanes::Get(m.rank[way / 8], way % 8);
    // Every way more recent than `way` ages by one; invalid lanes (kInvalid) never qualify.
    for (unsigned k = 0; k < 2; ++k) m.rank[k] += (~lanes::AtLeast(m.rank[k], old) & lanes::kHigh) >> 7;
    m.rank[way / 8] = lanes::Set(m.rank[way / 8], way % 8, 0);
  }
  // The way a fill should take: the first invalid one, else the least recently used.
  uint32_t Victim(uint32_t set) const {
    const Meta& m = meta_[set];
    for (const uint8_t wanted : {kInvalid, static_cast<uint8_t>(ways_ - 1)}) {
      for (unsigned k = 0; k < 2; ++k) {
        const uint64_t hits = lanes::Equal(m.rank[k], wanted) & live_[k];
        if (hits != 0) return 8 * k + lanes::FirstLane(hits);
      }
    }
    return 0;  // unreachable: a full set has a way of rank ways-1
  }
  // `way` now holds a key with fingerprint `fp`, most recently used.
  void Fill(uint32_t set, uint32_t way, uint8_t fp) {
    Meta& m = meta_[set];
    m.fp[way / 8] = lanes::Set(m.fp[way / 8], way % 8, fp);
    Use(set, way);
  }
  // Marks `way` invalid; the ways it was more recent than move up, so ranks stay 0..valid-1.
  void Invalidate(uint32_t set, uint32_t way);
  void Clear();
  const void* SetMeta(uint32_t set) const { return &meta_[set]; }

 private:
  static constexpr uint8_t kInvalid = 0x7F;
  struct alignas(32) Meta {
    uint64_t fp[2];
    uint64_t rank[2];
  };
  uint32_t ways_ = 0;
  uint64_t live_[2] = {};  // 0x80 in the lanes that are ways of the set
  std::vector<Meta> meta_;
};

}  // namespace thp::tlbsim
