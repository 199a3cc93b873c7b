// Page walker with walk caches, page-table line cache and nested paging; see walker.h.
#include "core/tlbsim/walker.h"

#include "core/tlbsim/prefetch.h"

namespace thp::tlbsim {

namespace {
// Tag of a walk-cache entry at table level `level`: the VA bits above that entry's span.
inline uint64_t PwcTag(uint64_t va, int level) { return va >> (12 + 9 * level); }
}  // namespace

Walker::Walker(const SimConfig& config, PageTable* guest) : config_(config), guest_(guest) {
  for (int l = 1; l < 5; ++l) pwc_[l] = TlbArray(config.pwc[l]);
  pt_cache_ = TlbArray(config.pt_cache);
  if (config.nested.enabled) {
    host_ = std::make_unique<PageTable>(config.nested.host_levels);
    for (int l = 1; l < 5; ++l) host_pwc_[l] = TlbArray(config.nested.host_pwc[l]);
    nested_tlb_ = TlbArray(config.nested.nested_tlb);
  }
}

void Walker::Prefetch(uint64_t va) {
  // Only the two lowest levels: above them a big table has few entries, which stay cached,
  // while its PTEs (and their line-cache sets) are spread too wide to stay. In nested mode the
  // host entry translating each of them is prefetched too (the line cache is indexed by host
  // addresses there, which only the walk itself finds).
  const uint64_t region = va >> PageShift(PageSize::k1G);
  PmdMemo& memo = pmd_memo_[region & (kPmdMemo - 1)];
  if (memo.region != region + 1) {
    memo.region = region + 1;
    memo.reaches_pmd = guest_->FindPathAbove(va, 1, &memo.above);
  }
  if (!memo.reaches_pmd) return;
  guest_->PeekWalkFrom(va, 1, memo.above.table, [this](const uint64_t* entry, uint64_t phys) {
    PrefetchHint(entry);
    if (!host_) {
      pt_cache_.PrefetchSet(phys >> 6);
      return;
    }
    int level;
    if (const uint64_t* host_entry = host_->EndEntry(phys, &level)) PrefetchHint(host_entry);
  });
}

void Walker::PrefetchDataTranslation(uint64_t va) {
  if (!host_) return;
  const PmdMemo* memo = MemoOf(va);
  if (!memo || !memo->reaches_pmd) return;
  int level = 0;
  const uint64_t* leaf = guest_->EndEntryFrom(va, 1, memo->above.table, &level);
  if (!leaf || !pte::Present(*leaf) || !pte::IsLeaf(*leaf, level)) return;
  const PageSize size = static_cast<PageSize>(level);
  const uint64_t gpa = pte::LeafFrame(*leaf, size) + (va & (PageBytes(size) - 1));
  if (const uint64_t* host_entry = host_->EndEntry(gpa, &level)) PrefetchHint(host_entry);
}

void Walker::EndPrefetching() {
  for (PmdMemo& m : pmd_memo_) m = PmdMemo{};
}

void Walker::FlushWalkCaches() {
  for (auto& c : pwc_) c.Clear();
}

void Walker::Reset() {
  FlushWalkCaches();
  for (auto& c : host_pwc_) c.Clear();
  nested_tlb_.Clear();
  pt_cache_.Clear();
}

THP_TLBSIM_INLINE void Walker::Reference(uint64_t phys) {
  if (pt_cache_.Reference(phys >> 6)) ++counters_.cache_refs;
  else ++counters_.dram_refs;
}

template <typename RefFn>
WalkEnd Walker::CachedWalk(PageTable& pt, const PathAbove* above, TlbArray* pwcs, uint64_t va, bool write, bool guest,
                           RefFn&& ref) {
  // The deepest walk-cache hit decides where the walk starts: a hit for the entry at level L
  // means the table at level L-1 is known, so only references below L are made.
  const int top = pt.levels();
  int start = top;
  for (int l = 1; l < top; ++l) {
    if (pwcs[l].entries() == 0) continue;
    const int slot = pwcs[l].Hit(PwcTag(va, l));
    if (guest) ++counters_.pwc_lookups[l];
    else ++counters_.host_pwc_lookups;
    if (slot != TlbArray::kMiss) {
      if (guest) ++counters_.pwc_hits[l];
      else ++counters_.host_pwc_hits;
      start = l;
      break;
    }
  }
  const auto step = [&](int level, uint64_t entry_phys) {
    if (level < start) ref(entry_phys);
  };
  const WalkEnd end = above ? pt.WalkAlong(*above, va, 1, write, step) : pt.Walk(va, write, step);
  // Fill the walk caches with the non-leaf entries this walk used (only present, accessed,
  // non-leaf entries are cached: Intel SDM vol. 3A, 4.10.3). An absent entry that ends
  // the walk counts as non-leaf here. Every level below `start` was looked up above and
  // missed, so the entry goes in without another lookup.
  const int lowest = end.mapped ? end.level + 1 : end.level;
  for (int l = lowest > 1 ? lowest : 1; l < start; ++l) {
    if (pwcs[l].entries() != 0) pwcs[l].Insert(PwcTag(va, l));
  }
  return end;
}

uint64_t Walker::HostTranslate(uint64_t gpa, uint32_t* refs, PageSize* host_size) {
  const PageSize hs = config_.nested.host_page;
  const uint64_t hbytes = PageBytes(hs);
  // The host leaf is read once: the walk below only sets its A bit, so its frame and size
  // stay as found (or as just mapped).
  Leaf leaf;
  if (!host_->Lookup(gpa, &leaf)) {
    // Every host leaf is one host page, aligned, so no leaf covering gpa means none in its page.
    // (Guest frames stay below kTablePhysBase and table addresses far below the host's limit;
    // past it the host maps nothing and the leaf stays the default, frame 0.)
    if (gpa < host_->va_limit()) host_->MapUncovered(gpa & ~(hbytes - 1), hs, &leaf);
    ++counters_.host_faults;
  }
  bool cached = false;
  if (nested_tlb_.entries() != 0) {
    ++counters_.nested_tlb_lookups;
    cached = nested_tlb_.Reference(gpa >> PageShift(hs));
    if (cached) ++counters_.nested_tlb_hits;
  }
  if (!cached) {
    CachedWalk(*host_, nullptr, host_pwc_, gpa, false, false, [&](uint64_t phys) {
      Reference(phys);
      ++counters_.host_refs;
      ++*refs;
    });
  }
  if (host_size) *host_size = leaf.size;
  return leaf.phys_base + (gpa & (PageBytes(leaf.size) - 1));
}

WalkOutcome Walker::Walk(uint64_t va, bool write) {
  WalkOutcome out;
  ++counters_.walks;
  uint32_t refs = 0;
  const bool nested = host_ != nullptr;
  // During a prefetching batch the memo knows the path above the PMD level.
  const PmdMemo* memo = MemoOf(va);
  const PathAbove* above = memo && memo->reaches_pmd ? &memo->above : nullptr;
  const WalkEnd end = CachedWalk(*guest_, above, pwc_, va, write, true, [&](uint64_t phys) {
    // In nested mode each guest table entry's address is guest-physical: translate it first.
    Reference(nested ? HostTranslate(phys, &refs, nullptr) : phys);
    ++counters_.guest_refs;
    ++refs;
  });
  if (!end.mapped) {
    ++counters_.faults;
    counters_.refs += refs;
    out.refs = refs;
    return out;
  }
  out.mapped = true;
  out.size = end.leaf.size;
  out.dirty = end.leaf.dirty;
  if (nested) {
    // The data page's guest-physical address needs a host translation too; the TLB entry can
    // only be as large as both leaves.
    const uint64_t gpa = end.leaf.phys_base + (va & (PageBytes(end.leaf.size) - 1));
    PageSize host_size;
    HostTranslate(gpa, &refs, &host_size);
    if (host_size < out.size) out.size = host_size;
  }
  counters_.refs += refs;
  out.refs = refs;
  return out;
}

}  // namespace thp::tlbsim
