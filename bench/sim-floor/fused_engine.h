// A second, deliberately narrow implementation of the simulator's model, used only to measure
// how fast the walk-heavy stream can possibly run on this machine (the target is 30 M
// accesses/s, see bench/sim-throughput). It is everything the general engine is not: one fixed configuration (preset
// zen4-vm, native, 4-level, reads of 4 KiB pages, no map changes while it runs), every
// structure a fixed-size member, the whole access -- TLB probes, walk caches, the page walk,
// the page-table line cache, the fills -- in one inlined function, and the cheapest exact-LRU
// bookkeeping we know for each structure. The benchmark checks that it computes exactly the
// general engine's counters, so its speed is the speed of the same model without generality.
//
// What it shares with the engine: the page table itself (PageTable, the model's radix table
// with its Accessed bits) and NarrowSets, the per-set LRU bookkeeping of the set-associative
// structures (already a handful of integer instructions per operation).
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "core/tlbsim/narrow_sets.h"
#include "core/tlbsim/page_table.h"
#include "core/tlbsim/prefetch.h"
#include "core/tlbsim/sim_config.h"
#include "core/tlbsim/workloads.h"

namespace thp::bench {

using tlbsim::NarrowSets;
using tlbsim::PageTable;
using tlbsim::PathAbove;
using tlbsim::PrefetchHint;
using tlbsim::WalkEnd;

// The shapes this engine hard-codes, which the benchmark checks against the preset (so a
// changed preset stops the comparison instead of silently measuring another model).
struct FusedShape {
  static constexpr uint32_t kL1Entries = 72;  // fully associative
  static constexpr uint32_t kL2Sets = 256;    // 3072 entries
  static constexpr uint32_t kL2Ways = 12;
  static constexpr uint32_t kPdeEntries = 64;    // walk cache of level 1, fully associative
  static constexpr uint32_t kPdpteEntries = 16;  // level 2
  static constexpr uint32_t kPml4Entries = 4;    // level 3
  static constexpr uint32_t kLineSets = 2048;    // page-table line cache: 32768 lines
  static constexpr uint32_t kLineWays = 16;
  static bool Matches(const tlbsim::SimConfig& c);
};

// The counters the walk-heavy stream exercises, named as in SimCounters / WalkCounters.
struct FusedCounters {
  uint64_t accesses = 0, l1_lookups = 0, l1_hits = 0, l1_misses = 0, l2_lookups = 0, l2_hits = 0, l2_misses = 0;
  uint64_t walks = 0, refs = 0, cache_refs = 0, dram_refs = 0;
  uint64_t pwc_lookups[4] = {}, pwc_hits[4] = {};
};

// Fully associative, exact LRU (the lowest empty slot first, then the least recently used):
// a recency list threaded through one-byte links and a chained hash of the keys. A hit relinks
// one node; a fill takes the list's tail, unhooks its key from the hash and hooks the new one.
template <uint32_t N>
class FusedFullyAssociative {
  static_assert(N < 255, "one-byte links");
  static constexpr uint32_t kBuckets = [] {
    uint32_t b = 1;
    while (b < 4 * N) b <<= 1;
    return b;
  }();

 public:
  FusedFullyAssociative() {
    newer_[N] = older_[N] = N;  // node N: the list head (newer_ = most recent, older_ = oldest)
    std::memset(bucket_, 0, sizeof bucket_);
  }
  static uint32_t Home(uint64_t key) { return static_cast<uint32_t>((key * 0x9E3779B97F4A7C15ull) >> 20) & (kBuckets - 1); }
  // True on a hit, which becomes the most recent entry.
  bool Hit(uint64_t key, uint32_t home) {
    for (uint32_t s = bucket_[home]; s != 0; s = chain_[s - 1]) {
      if (key_[s - 1] == key) {
        MakeNewest(s - 1);
        return true;
      }
    }
    return false;
  }
  // Inserts an absent key whose Home is `home`.
  void Insert(uint64_t key, uint32_t home) {
    uint32_t s;
    if (used_ < N) {
      s = used_++;
    } else {
      s = older_[N];
      uint8_t* link = &bucket_[Home(key_[s])];
      while (*link != s + 1) link = &chain_[*link - 1];
      *link = chain_[s];
      Unlink(s);
    }
    key_[s] = key;
    chain_[s] = bucket_[home];
    bucket_[home] = static_cast<uint8_t>(s + 1);
    LinkNewest(s);
  }

 private:
  void Unlink(uint32_t s) {
    older_[newer_[s]] = older_[s];
    newer_[older_[s]] = newer_[s];
  }
  void LinkNewest(uint32_t s) {
    const uint32_t first = newer_[N];  // N itself when the list is empty
    newer_[N] = static_cast<uint8_t>(s);
    older_[s] = N;
    newer_[s] = static_cast<uint8_t>(first);
    older_[first] = static_cast<uint8_t>(s);
  }
  void MakeNewest(uint32_t s) {
    if (newer_[N] == s) return;
    Unlink(s);
    LinkNewest(s);
  }
  uint64_t key_[N] = {};
  uint8_t newer_[N + 1], older_[N + 1];  // neighbours in the recency list; node N is its head
  uint8_t chain_[N];                     // next slot + 1 in the hash chain, 0 at its end
  uint8_t bucket_[kBuckets];             // first slot + 1 of each chain
  uint32_t used_ = 0;
};

// Set associative with NarrowSets' exact LRU; keys carry a valid bit so that 0 means empty.
template <uint32_t kSets, uint32_t kWays>
class FusedSetAssociative {
 public:
  FusedSetAssociative() : meta_(kSets, kWays), keys_(uint64_t{kSets} * kWays, 0) {}
  bool Hit(uint64_t key) {
    const uint32_t set = static_cast<uint32_t>(key) & (kSets - 1);
    const uint64_t tagged = key | kValid;
    const int way = Find(set, tagged);
    if (way >= 0) meta_.Use(set, static_cast<uint32_t>(way));
    return way >= 0;
  }
  void Insert(uint64_t key) {
    const uint32_t set = static_cast<uint32_t>(key) & (kSets - 1);
    const uint64_t tagged = key | kValid;
    const uint32_t way = meta_.Victim(set);
    meta_.Fill(set, way, NarrowSets::Fingerprint(tagged));
    keys_[set * kWays + way] = tagged;
  }
  // A cache reference: true on a hit, else the key is filled in.
  bool Reference(uint64_t key) {
    if (Hit(key)) return true;
    Insert(key);
    return false;
  }
  void PrefetchSet(uint64_t key) const { PrefetchHint(meta_.SetMeta(static_cast<uint32_t>(key) & (kSets - 1))); }

 private:
  static constexpr uint64_t kValid = uint64_t{1} << 63;
  int Find(uint32_t set, uint64_t tagged) const {
    const uint64_t* k = &keys_[set * kWays];
    return meta_.FindWay(set, NarrowSets::Fingerprint(tagged), [k, tagged](uint32_t w) { return k[w] == tagged; });
  }
  NarrowSets meta_;
  std::vector<uint64_t> keys_;
};

class FusedEngine {
 public:
  explicit FusedEngine(PageTable* table) : table_(table) {}
  // The same batch shape as Simulator::Run: chunks of generated addresses, each walked with a
  // look-ahead prefetch of its walk (the PMD path remembered per GiB, as the engine does).
  void Run(tlbsim::WorkloadGenerator& gen, uint64_t count);
  const FusedCounters& counters() const { return c_; }
  void ClearCounters() { c_ = FusedCounters{}; }

 private:
  static constexpr uint64_t kValid = uint64_t{1} << 63;
  static constexpr size_t kChunk = 4096, kLookahead = 32, kMemos = 64;
  struct PmdMemo {
    uint64_t region = 0;  // region number + 1, 0: empty
    bool reaches_pmd = false;
    PathAbove above;
  };
  void Prefetch(uint64_t va);
  inline void Access(uint64_t va);

  PageTable* table_;
  FusedFullyAssociative<FusedShape::kL1Entries> l1_;
  FusedSetAssociative<FusedShape::kL2Sets, FusedShape::kL2Ways> l2_;
  FusedFullyAssociative<FusedShape::kPdeEntries> pde_;
  FusedSetAssociative<1, FusedShape::kPdpteEntries> pdpte_;
  FusedSetAssociative<1, FusedShape::kPml4Entries> pml4_;
  FusedSetAssociative<FusedShape::kLineSets, FusedShape::kLineWays> lines_;
  PmdMemo memo_[kMemos];
  uint64_t recent_page_ = ~uint64_t{0};  // the page of the last translation (the engine's Remember)
  FusedCounters c_;
  uint64_t addrs_[kChunk];
  uint8_t writes_[kChunk];
};

}  // namespace thp::bench
