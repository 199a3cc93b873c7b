// The `sim` access source: DAMON's vaddr sampling (Documentation/mm/damon/design.rst, "PTE Accessed-bit Based Access Check") over the simulator's
// page table (core/tlbsim/page_table.h), with a seeded hot/cold workload that touches pages
// through hardware-like walks (setting Accessed bits) while a stepped sampling interval
// elapses. Deterministic for a seed.
//
// Prepare = test-and-clear Accessed on the leaf covering the sampling address (the PMD for
// a 2 MiB page, as damon_pmdp_mkold, else the PTE, as damon_ptep_mkold). Check = the leaf's
// Accessed bit, and the leaf size for the same-folio cache. Deliberate difference: the
// simulator has no page flags, so the kernel's PG_idle/PG_young bookkeeping (which only
// matters for coexistence with reclaim) has no counterpart.
#pragma once

#include <cstdint>
#include <vector>

#include "core/monitor/access_source.h"
#include "core/tlbsim/page_table.h"
#include "core/tlbsim/rng.h"

namespace thp::sources::sim {

struct SimMapping {
  uint64_t start = 0;
  uint64_t end = 0;
  tlbsim::PageSize page_size = tlbsim::PageSize::k4K;
};

// The workload: each sampling interval of 5 ms makes `accesses_per_5ms` accesses (scaled
// linearly with the interval), a `hot_share` of them uniform over the hot ranges, the rest
// uniform over all mappings; a `write_fraction` of them are writes.
struct SimWorkload {
  std::vector<monitor::AddressRange> hot;
  double hot_share = 0.9;
  uint64_t accesses_per_5ms = 50000;
  double write_fraction = 0.0;
};

class SimAccessSource final : public monitor::AccessSource {
 public:
  SimAccessSource(const std::vector<SimMapping>& mappings, SimWorkload workload, uint64_t seed);

  monitor::AccessSignal signal() const override { return monitor::AccessSignal::kAccess; }
  std::vector<monitor::AddressRange> Mappings() override;
  void PrepareAccessCheck(uint64_t addr) override;
  void PrepareAccessChecks(const std::vector<uint64_t>& addrs) override;
  monitor::AccessCheck CheckAccess(uint64_t addr) override;
  void Elapse(uint64_t sample_us) override;

  // The workload's draws start over from `seed`: the monitor this source feeds passes its
  // own seed, so one seed reproduces a whole run.
  void Reseed(uint64_t seed) { rng_ = tlbsim::Rng(seed); }
  // Moves the hot set.
  void SetHot(std::vector<monitor::AddressRange> hot);
  // Unmaps a range while it is monitored (its samples then report "not accessed").
  uint64_t Unmap(uint64_t start, uint64_t end);
  const tlbsim::PageTable& page_table() const { return table_; }

  // Memory operations a tuner applies to the simulated process (stepped use only):
  // MADV_COLLAPSE of the 2 MiB unit at `va` with khugepaged's absent-PTE rule, a PMD split,
  // and MADV_DONTNEED-like discarding of pages that keeps the mapping (a partly covered huge
  // page is split first, as the kernel does).
  tlbsim::CollapseResult Collapse(uint64_t va, uint32_t max_ptes_none) {
    ForgetLocated();
    return table_.Collapse(va, max_ptes_none);
  }
  bool SplitPmd(uint64_t va) {
    ForgetLocated();
    return table_.SplitPmd(va);
  }
  uint64_t Discard(uint64_t start, uint64_t end) {
    ForgetLocated();
    return table_.Unmap(start, end - start);
  }
  // Test-and-clear of the Accessed bit of the leaf mapping `va` (the tuner's unit probe).
  bool TestAndClearAccessed(uint64_t va) { return table_.TestAndClearAccessed(va); }

 private:
  // A sampling address's page-table entry, located (and prefetched) a few regions before
  // its prepare uses it and kept for its check, so each region-sample walks the table once.
  struct Located {
    uint64_t addr = 0;
    uint64_t* entry = nullptr;  // null: not located (or past the address space)
    int level = 0;
  };
  Located Locate(uint64_t addr);
  // The leaf `at` names, if the entry is one (absent entries end walks too).
  static bool IsLeaf(const Located& at) {
    return at.entry && tlbsim::pte::Present(*at.entry) && tlbsim::pte::IsLeaf(*at.entry, at.level);
  }
  // Located entries die with any change of the table's structure.
  void ForgetLocated() {
    prepared_.clear();
    next_check_ = next_prefetch_ = 0;
    path_gib_ = 0;
  }
  uint64_t Pick(const std::vector<monitor::AddressRange>& ranges, uint64_t total);

  tlbsim::PageTable table_;
  std::vector<monitor::AddressRange> mapped_;
  uint64_t mapped_bytes_ = 0;
  SimWorkload workload_;
  uint64_t hot_bytes_ = 0;
  tlbsim::Rng rng_;
  // How many regions ahead entries are located (prepares) and prefetched (checks): with the
  // host's caches cold and 16 GiB simulated, 32 took a sixth off the time per region-sample
  // against 16 (64 gained little more).
  static constexpr size_t kAhead = 32;
  // This sample's entries in prepare order, where the next check's search starts, and the
  // first entry the checks have not prefetched yet.
  std::vector<Located> prepared_;
  size_t next_check_ = 0;
  size_t next_prefetch_ = 0;
  // The path above the PMD level of the last located address's 1 GiB (path_gib_ holds that
  // GiB's number + 1, 0: none); path_reaches_pmd_ is false when walks there end above it.
  uint64_t path_gib_ = 0;
  bool path_reaches_pmd_ = false;
  tlbsim::PathAbove path_;
};

}  // namespace thp::sources::sim
