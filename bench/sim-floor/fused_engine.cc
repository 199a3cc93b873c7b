// The fused engine's access path; see fused_engine.h. Each step names the general engine's
// rule it reproduces (simulator.cc, walker.cc).
#include "fused_engine.h"

namespace thp::bench {

bool FusedShape::Matches(const tlbsim::SimConfig& c) {
  auto is = [](const tlbsim::ArrayShape& s, uint32_t entries, uint32_t ways) { return s.entries == entries && s.ways == ways; };
  const uint8_t four_k = tlbsim::SizeBit(tlbsim::PageSize::k4K);
  return c.levels == 4 && !c.nested.enabled && c.l1.arrays.size() == 1 && c.l2.arrays.size() == 1 &&
         is(c.l1.arrays[0].shape, kL1Entries, 0) && (c.l1.arrays[0].sizes & four_k) &&
         is(c.l2.arrays[0].shape, kL2Sets * kL2Ways, kL2Ways) && (c.l2.arrays[0].sizes & four_k) &&
         is(c.pwc[1], kPdeEntries, 0) && is(c.pwc[2], kPdpteEntries, 0) && is(c.pwc[3], kPml4Entries, 0) &&
         is(c.pt_cache, kLineSets * kLineWays, kLineWays);
}

void FusedEngine::Prefetch(uint64_t va) {
  // Walker::Prefetch: the PMD and PTE entries and their line-cache sets.
  const uint64_t region = va >> 30;
  PmdMemo& memo = memo_[region & (kMemos - 1)];
  if (memo.region != region + 1) {
    memo.region = region + 1;
    memo.reaches_pmd = table_->FindPathAbove(va, 1, &memo.above);
  }
  if (!memo.reaches_pmd) return;
  table_->PeekWalkFrom(va, 1, memo.above.table, [this](const uint64_t* entry, uint64_t phys) {
    PrefetchHint(entry);
    lines_.PrefetchSet(phys >> 6);
  });
}

inline void FusedEngine::Access(uint64_t va) {
  ++c_.accesses;
  ++c_.l1_lookups;
  const uint64_t page = va >> 12;  // the TLB key of a 4 KiB translation (size bits are 0)
  if (page == recent_page_) {      // Simulator::Access: the last translation's entry
    ++c_.l1_hits;
    return;
  }
  const uint64_t key = page | kValid;
  const uint32_t l1_home = decltype(l1_)::Home(key);
  if (l1_.Hit(key, l1_home)) {
    ++c_.l1_hits;
    recent_page_ = page;
    return;
  }
  ++c_.l2_lookups;
  if (l2_.Hit(page)) {
    ++c_.l2_hits;
    ++c_.l1_misses;
    l1_.Insert(key, l1_home);
    recent_page_ = page;
    return;
  }
  // Walker::CachedWalk: the deepest walk-cache hit decides the first level referenced.
  ++c_.walks;
  const uint64_t pde_key = (va >> 21) | kValid, pdpte_tag = va >> 30, pml4_tag = va >> 39;
  const uint32_t pde_home = decltype(pde_)::Home(pde_key);
  int start = 4;
  ++c_.pwc_lookups[1];
  if (pde_.Hit(pde_key, pde_home)) {
    ++c_.pwc_hits[1];
    start = 1;
  } else {
    ++c_.pwc_lookups[2];
    if (pdpte_.Hit(pdpte_tag)) {
      ++c_.pwc_hits[2];
      start = 2;
    } else {
      ++c_.pwc_lookups[3];
      if (pml4_.Hit(pml4_tag)) {
        ++c_.pwc_hits[3];
        start = 3;
      }
    }
  }
  uint64_t refs = 0;
  auto step = [&](int level, uint64_t entry_phys) {
    if (level >= start) return;
    ++refs;
    if (lines_.Reference(entry_phys >> 6)) ++c_.cache_refs;
    else ++c_.dram_refs;
  };
  const PmdMemo& memo = memo_[pdpte_tag & (kMemos - 1)];
  const WalkEnd end = memo.region == pdpte_tag + 1 && memo.reaches_pmd ? table_->WalkAlong(memo.above, va, 1, false, step)
                                                                       : table_->Walk(va, false, step);
  c_.refs += refs;
  // Walk caches take the non-leaf entries the walk used below its start.
  for (int l = end.level + 1 > 1 ? end.level + 1 : 1; l < start; ++l) {
    if (l == 1) pde_.Insert(pde_key, pde_home);
    else if (l == 2) pdpte_.Insert(pdpte_tag);
    else pml4_.Insert(pml4_tag);
  }
  ++c_.l1_misses;
  ++c_.l2_misses;
  l2_.Insert(page);
  l1_.Insert(key, l1_home);
  recent_page_ = page;
}

void FusedEngine::Run(tlbsim::WorkloadGenerator& gen, uint64_t count) {
  while (count > 0) {
    const size_t n = count < kChunk ? static_cast<size_t>(count) : kChunk;
    gen.Fill(addrs_, writes_, n);
    for (size_t i = 0; i < n && i < kLookahead; ++i) Prefetch(addrs_[i]);
    for (size_t i = 0; i < n; ++i) {
      if (i + kLookahead < n) Prefetch(addrs_[i + kLookahead]);
      Access(addrs_[i]);
    }
    for (PmdMemo& m : memo_) m = PmdMemo{};
    count -= n;
  }
}

}  // namespace thp::bench
