// The hardware page walker: page-walk caches that let a walk skip upper levels (Intel-style
// translation caches, Intel SDM vol. 3A, 4.10.3), a cache of page-table lines that decides whether each
// reference hits the data caches or DRAM, and the optional nested (two-dimensional) walk of a
// virtualized guest, where every guest-physical address -- each guest table entry and the
// final data page -- is translated through the host's own table.
//
// Reference counting: with empty caches a native walk makes one reference per level it reads
// (4, or 5 with LA57; one fewer per huge leaf level); a nested walk makes G*(H+1) + H, e.g.
// 24 for 4-level guest and host with 4 KiB pages, 15 with 2 MiB on both sides.
#pragma once

#include <cstdint>

#include "core/tlbsim/compiler.h"
#include "core/tlbsim/page_table.h"
#include "core/tlbsim/sim_config.h"
#include "core/tlbsim/tlb_array.h"

namespace thp::tlbsim {

struct WalkCounters {
  uint64_t walks = 0;
  uint64_t faults = 0;      // walks that found no mapping
  uint64_t refs = 0;        // all memory references made by walks
  uint64_t guest_refs = 0;  // references to the (guest's own) page table
  uint64_t host_refs = 0;   // references to the host table (nested mode)
  uint64_t cache_refs = 0;  // references whose line was in the modelled caches
  uint64_t dram_refs = 0;
  uint64_t pwc_lookups[5] = {};  // by cached level, guest walks
  uint64_t pwc_hits[5] = {};
  uint64_t host_pwc_lookups = 0;
  uint64_t host_pwc_hits = 0;
  uint64_t nested_tlb_lookups = 0;
  uint64_t nested_tlb_hits = 0;
  uint64_t host_faults = 0;  // guest-physical pages first touched (host mapping created)
};

// The result of a walk: the translation's effective size (in nested mode the smaller of the
// guest and host leaf, since a TLB entry cannot cover more than both map contiguously).
struct WalkOutcome {
  bool mapped = false;
  PageSize size = PageSize::k4K;
  bool dirty = false;
  uint32_t refs = 0;
};

class Walker {
 public:
  Walker(const SimConfig& config, PageTable* guest);

  // Walks `va`, setting A (and D when `write`) in the guest table as hardware does.
  WalkOutcome Walk(uint64_t va, bool write);
  // Prefetches what a walk of `va` will read: the guest entries of its lowest levels and, in
  // native mode, their lines' sets in the page-table cache, in nested mode the host entries
  // translating them.
  void Prefetch(uint64_t va);
  // Nested mode: prefetches the host entry translating va's data page, which needs va's guest
  // leaf (fetched by an earlier Prefetch of va).
  void PrefetchDataTranslation(uint64_t va);
  // Forgets what Prefetch remembered of the table; a batch calls it when it ends, before the
  // table can change again.
  void EndPrefetching();
  // Forgets all cached upper-level entries (the kernel flushes them when it frees tables).
  void FlushWalkCaches();
  // Forgets everything cached: walk caches, nested TLB, page-table lines.
  void Reset();

  const WalkCounters& counters() const { return counters_; }
  void ClearCounters() { counters_ = WalkCounters{}; }
  const PageTable* host() const { return host_.get(); }

 private:
  // Walks `pt` for `va` using `pwcs` to skip levels; calls ref(entry_phys) for each reference
  // actually made. Returns where the walk ended (leaf etc.).
  // `above`, if not null, is the part of pt's path for `va` above the PMD level.
  template <typename RefFn>
  WalkEnd CachedWalk(PageTable& pt, const PathAbove* above, TlbArray* pwcs, uint64_t va, bool write, bool guest, RefFn&& ref);
  // Guest-physical -> host-physical, counting the host walk's references (nested mode); the
  // host leaf's size goes to *host_size when it is not null.
  uint64_t HostTranslate(uint64_t gpa, uint32_t* refs, PageSize* host_size);
  void Reference(uint64_t phys);

  const SimConfig& config_;
  PageTable* guest_;
  std::unique_ptr<PageTable> host_;
  TlbArray pwc_[5];
  TlbArray host_pwc_[5];
  TlbArray nested_tlb_;
  TlbArray pt_cache_;
  WalkCounters counters_;
  // The guest path above the PMD level of recently prefetched 1 GiB regions (direct-mapped by
  // region), so that Prefetch starts at the PMD table and walks step over the levels above
  // without descending. region holds the region number + 1 (0: empty); reaches_pmd is false
  // when walks there end above the PMD level.
  static constexpr uint32_t kPmdMemo = 64;
  struct PmdMemo {
    uint64_t region = 0;
    bool reaches_pmd = false;
    PathAbove above;
  };
  // The memo of va's region, if Prefetch made one.
  const PmdMemo* MemoOf(uint64_t va) const {
    const uint64_t region = va >> PageShift(PageSize::k1G);
    const PmdMemo& memo = pmd_memo_[region & (kPmdMemo - 1)];
    return memo.region == region + 1 ? &memo : nullptr;
  }
  PmdMemo pmd_memo_[kPmdMemo];
};

}  // namespace thp::tlbsim
