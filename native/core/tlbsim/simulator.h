// The TLB simulator: a guest page table, an L1 dTLB and an L2 STLB (each one or more arrays,
// per page size or shared), the walker (walk caches, page-table line cache, nested paging)
// and counters. Accesses are simulated one at a time in program order; the hot path does no
// allocation.
//
// TLB semantics modelled:
// - A lookup probes every array of a level for every page size it holds; an L1 miss that hits
//   L2 fills L1; a walk fills both (fill-both, neither inclusive nor exclusive is enforced).
// - Translations of a size a level cannot hold are smashed into its largest smaller size.
// - Entries cache the leaf's Dirty bit: a write that hits an entry with D clear walks again to
//   set D (a "dirty assist"), as x86 does; hits never set Accessed, so after a test-and-clear
//   without a TLB flush a page can be used without the table seeing it again (DAMON's
//   known blind spot, Documentation/mm/damon/design.rst, "PTE Accessed-bit Based Access Check").
// - Map changes (unmap, collapse, split) invalidate the affected TLB entries and flush the walk
//   caches, as the kernel's TLB shootdown does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/tlbsim/compiler.h"
#include "core/tlbsim/page_table.h"
#include "core/tlbsim/sim_config.h"
#include "core/tlbsim/tlb_array.h"
#include "core/tlbsim/walker.h"
#include "core/tlbsim/workloads.h"

namespace thp::tlbsim {

struct LevelCounters {
  uint64_t lookups = 0;
  uint64_t hits[kPageSizeCount] = {};    // by entry size
  uint64_t misses[kPageSizeCount] = {};  // by the translation's size once resolved (faults uncounted)
};

struct SimCounters {
  uint64_t accesses = 0;
  uint64_t writes = 0;
  uint64_t faults = 0;  // accesses to unmapped addresses (no TLB fill)
  uint64_t dirty_assists = 0;
  LevelCounters l1;
  LevelCounters l2;
};

// Sum of the bytes covered by valid entries of a level, and its capacity at the largest size.
struct ReachUse {
  uint64_t used_bytes = 0;
  uint64_t entries_valid = 0;
  uint64_t entries_total = 0;
};

class Simulator {
 public:
  explicit Simulator(SimConfig config);

  const SimConfig& config() const { return config_; }
  PageTable& page_table() { return table_; }
  const PageTable& page_table() const { return table_; }

  MapStatus Map(uint64_t va, uint64_t length, PageSize size);
  uint64_t Unmap(uint64_t va, uint64_t length);
  CollapseResult Collapse(uint64_t va, uint32_t max_ptes_none);
  bool Split(uint64_t va);
  // DAMON-style test-and-clear; `flush` also drops the TLB entries covering `va`
  // (ptep_clear_flush_young semantics) so the next access walks and sets A again.
  bool TestAndClearAccessed(uint64_t va, bool flush) { return TestAndClear(va, flush, false); }
  bool TestAndClearDirty(uint64_t va, bool flush) { return TestAndClear(va, flush, true); }

  void Access(uint64_t va, bool write);
  // `writes` may be null (all reads when `all_write` is false, all writes otherwise).
  void AccessBatch(const uint64_t* vas, const uint8_t* writes, size_t n, bool all_write);
  void AccessBatch(const double* vas, size_t n, bool write);

  // Runs `count` accesses of a generator through the buffers kept here (no allocation).
  void Run(WorkloadGenerator& gen, uint64_t count);

  const SimCounters& counters() const { return counters_; }
  const WalkCounters& walk_counters() const { return walker_.counters(); }
  ReachUse Reach(int level) const;
  // Translation cycles by the cost model (L2 lookups, walk references by where they hit).
  double TranslationCycles() const;

  // Empties TLBs and walker caches and zeroes counters; the page table stays.
  void Reset();
  void ClearCounters();

 private:
  struct Probe {
    uint16_t array;
    PageSize size;
  };
  struct Level {
    std::vector<TlbArray> arrays;
    std::vector<Probe> probes;
    // Entries of each stored size in all the level's arrays: a probe for a size the level holds
    // none of must miss, so it is skipped (a miss changes no state). Walk-heavy 4 KiB streams
    // skip every 2 MiB probe this way.
    uint32_t held[kPageSizeCount] = {};
    int insert_array[kPageSizeCount];      // array receiving a translation of this size (-1: none)
    PageSize insert_size[kPageSizeCount];  // the size it is stored as (smashing)
    uint32_t last_probe = 0;               // probe order starts at the last hit
  };
  // Page number in the low bits (so set indexing uses its low bits, like hardware) and the
  // page size above bit 60.
  static constexpr unsigned kSizeShift = 60;
  static uint64_t Key(uint64_t va, PageSize size) {
    return (va >> PageShift(size)) | (static_cast<uint64_t>(size) << kSizeShift);
  }
  static PageSize KeySize(uint64_t key) { return static_cast<PageSize>(key >> kSizeShift); }
  static uint64_t KeyStart(uint64_t key) { return (key & ((uint64_t{1} << kSizeShift) - 1)) << PageShift(KeySize(key)); }
  static Level BuildLevel(const TlbLevelConfig& cfg);
  bool TestAndClear(uint64_t va, bool flush, bool dirty);
  // Returns the matched array/slot and size, or false. Inlined: it is most of an L1 hit.
  THP_TLBSIM_INLINE bool LookupLevel(Level& level, uint64_t va, int* array, int* slot, PageSize* size);
  // Inserts the translation after `level` missed it; returns the slot filled (or kMiss),
  // storing the array index in *array.
  THP_TLBSIM_INLINE int Fill(Level& level, uint64_t va, PageSize size, bool dirty, int* array);
  void InvalidateRange(uint64_t lo, uint64_t hi);
  void HandleWriteHit(Level& level, int array, int slot, uint64_t va);
  // The L2 lookup and the walk: out of line, so that the L1-hit path Access keeps is small
  // (fewer registers to save, better inlined into the batch loop).
  THP_TLBSIM_NOINLINE void AccessAfterL1Miss(uint64_t va, bool write);

  // The L1 entry the previous access used. It is the most recently used entry of its array,
  // so another access to the same page may skip the lookup: touching it again cannot change
  // any replacement decision. Forgotten whenever TLB contents change other than by access.
  struct Recent {
    bool valid = false;
    PageSize size = PageSize::k4K;
    uint64_t page = 0;  // va >> PageShift(size)
    int array = 0;
    int slot = 0;
  };
  void Remember(int array, int slot, PageSize size, uint64_t va) {
    recent_ = Recent{true, size, va >> PageShift(size), array, slot};
  }

  SimConfig config_;
  Recent recent_;
  PageTable table_;
  Walker walker_;
  Level l1_;
  Level l2_;
  SimCounters counters_;
  // Batches look this far ahead and prefetch what upcoming walks will read, when the previous
  // batch walked often enough for it to pay (prefetching is a hint: results are unchanged).
  static constexpr size_t kLookahead = 12;
  bool prefetch_walks_ = false;
  template <typename AddrAt, typename WriteAt>
  void BatchLoop(size_t n, AddrAt addr, WriteAt write);
  static constexpr size_t kChunk = 4096;
  uint64_t chunk_addrs_[kChunk];
  uint8_t chunk_writes_[kChunk];
};

}  // namespace thp::tlbsim
