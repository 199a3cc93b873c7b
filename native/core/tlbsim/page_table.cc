// Simulated x86-64 page table; see page_table.h for the model and the entry encoding.
#include "core/tlbsim/page_table.h"

#include <new>

namespace thp::tlbsim {

namespace {
constexpr uint64_t k4K = 4096;
PageTable::SlabAdvice g_slab_advice = nullptr;
constexpr uint64_t k2M = uint64_t{1} << 21;
}  // namespace

void PageTable::SetSlabAdvice(SlabAdvice advice) { g_slab_advice = advice; }

void PageTable::SlabDelete::operator()(uint64_t* p) const { ::operator delete (p, std::align_val_t{kSlabBytes}); }

PageTable::PageTable(int levels) : levels_(levels == 5 ? 5 : 4) { root_ = NewTable(); }

PageTable::~PageTable() = default;

uint32_t PageTable::NewTable() {
  uint32_t id;
  if (!free_ids_.empty()) {
    id = free_ids_.back();
    free_ids_.pop_back();
  } else {
    id = table_ids_++;
    if ((id >> kSlabShift) >= slabs_.size()) {
      void* slab = ::operator new (kSlabBytes, std::align_val_t{kSlabBytes});
      if (g_slab_advice) g_slab_advice(slab, kSlabBytes);
      slabs_.emplace_back(static_cast<uint64_t*>(slab));
    }
    used_.push_back(0);
  }
  uint64_t* t = TableOf(id);
  for (unsigned i = 0; i < kEntriesPerTable; ++i) t[i] = 0;
  used_[id] = 0;
  ++live_tables_;
  return id;
}

void PageTable::FreeTable(uint32_t id) {
  free_ids_.push_back(id);
  --live_tables_;
}

bool PageTable::FramesFit(uint64_t bytes, PageSize size) const {
  const uint64_t first = (next_frame_ + PageBytes(size) - 1) & ~(PageBytes(size) - 1);
  return first <= kTablePhysBase && bytes <= kTablePhysBase - first;
}

uint64_t PageTable::AllocFrame(PageSize size) {
  const uint64_t bytes = PageBytes(size);
  next_frame_ = (next_frame_ + bytes - 1) & ~(bytes - 1);
  const uint64_t frame = next_frame_;
  next_frame_ += bytes;
  return frame;
}

void PageTable::SetEntry(uint32_t table, unsigned index, uint64_t value) {
  uint64_t& e = TableOf(table)[index];
  if (!pte::Present(e)) ++used_[table];
  e = value;
}

void PageTable::ClearEntry(uint32_t table, unsigned index) {
  uint64_t& e = TableOf(table)[index];
  if (pte::Present(e)) --used_[table];
  e = 0;
}

bool PageTable::TableAt(uint64_t va, int level, bool create, uint32_t* out) {
  uint32_t table = root_;
  for (int l = levels_ - 1; l > level; --l) {
    const uint64_t e = TableOf(table)[Index(va, l)];
    if (!pte::Present(e)) {
      if (!create) return false;
      const uint32_t child = NewTable();
      SetEntry(table, Index(va, l), pte::kPresent | (uint64_t{child} << 12));
      table = child;
      continue;
    }
    if (pte::IsLeaf(e, l)) return false;
    table = pte::TableId(e);
  }
  *out = table;
  return true;
}

const uint64_t* PageTable::FindLeafEntry(uint64_t va, int* level) const {
  if (va >= va_limit()) return nullptr;
  uint32_t table = root_;
  for (int l = levels_ - 1; l >= 0; --l) {
    const uint64_t* e = &TableOf(table)[Index(va, l)];
    if (!pte::Present(*e)) return nullptr;
    if (pte::IsLeaf(*e, l)) {
      *level = l;
      return e;
    }
    table = pte::TableId(*e);
  }
  return nullptr;
}

uint64_t* PageTable::FindLeafEntry(uint64_t va, int* level) {
  return const_cast<uint64_t*>(static_cast<const PageTable*>(this)->FindLeafEntry(va, level));
}

bool PageTable::Lookup(uint64_t va, Leaf* leaf) const {
  int level = 0;
  const uint64_t* e = FindLeafEntry(va, &level);
  if (!e) return false;
  if (leaf) {
    leaf->size = static_cast<PageSize>(level);
    leaf->phys_base = pte::LeafFrame(*e, leaf->size);
    leaf->accessed = *e & pte::kAccessed;
    leaf->dirty = *e & pte::kDirty;
  }
  return true;
}

bool PageTable::RangeFree(uint64_t va, uint64_t length) const {
  bool free = true;
  ForEachLeaf(va, va + length, [&](uint64_t, PageSize) { free = false; });
  return free;
}

MapStatus PageTable::Map(uint64_t va, uint64_t length, PageSize size) {
  if (static_cast<int>(size) >= kPageSizeCount) return MapStatus::kUnsupportedSize;
  const uint64_t bytes = PageBytes(size);
  if ((va | length) & (bytes - 1)) return MapStatus::kUnaligned;
  if (length == 0) return MapStatus::kOk;
  if (va >= va_limit() || length > va_limit() - va) return MapStatus::kOutOfRange;
  if (!RangeFree(va, length)) return MapStatus::kOverlaps;
  if (!FramesFit(length, size)) return MapStatus::kOutOfFrames;
  for (uint64_t a = va; a < va + length; a += bytes) MapFreePage(a, size);
  return MapStatus::kOk;
}

uint64_t PageTable::MapFreePage(uint64_t va, PageSize size) {
  const int level = static_cast<int>(size);
  // The range is free and empty tables are always freed (UnmapIn), so the slot is empty.
  uint32_t table = 0;
  TableAt(va, level, true, &table);
  const uint64_t frame = AllocFrame(size);
  SetEntry(table, Index(va, level), pte::kPresent | frame | (level > 0 ? pte::kHuge : 0));
  resident_bytes_ += PageBytes(size);
  return frame;
}

void PageTable::MapUncovered(uint64_t va, PageSize size, Leaf* leaf) {
  leaf->size = size;
  leaf->phys_base = MapFreePage(va, size);
  leaf->accessed = false;
  leaf->dirty = false;
}

void PageTable::SplitPmdLeaf(uint64_t* entry, uint64_t va) {
  const uint64_t old = *entry;
  const uint64_t frame = pte::LeafFrame(old, PageSize::k2M);
  const uint64_t ad = old & (pte::kAccessed | pte::kDirty);
  std::bitset<kEntriesPerTable> filled;
  const auto it = filled_.find(va & ~(k2M - 1));
  if (it != filled_.end()) {
    filled = it->second;
    filled_.erase(it);
  }
  const uint32_t child = NewTable();
  uint64_t* t = TableOf(child);
  for (unsigned i = 0; i < kEntriesPerTable; ++i) {
    t[i] = pte::kPresent | (frame + i * k4K) | ad | (filled[i] ? pte::kZeroFilled : 0);
  }
  used_[child] = kEntriesPerTable;
  *entry = pte::kPresent | (uint64_t{child} << 12) | (old & pte::kAccessed);
}

void PageTable::SplitPudLeaf(uint64_t* entry) {
  const uint64_t old = *entry;
  const uint64_t frame = pte::LeafFrame(old, PageSize::k1G);
  const uint32_t child = NewTable();
  uint64_t* t = TableOf(child);
  for (unsigned i = 0; i < kEntriesPerTable; ++i) {
    t[i] = pte::kPresent | pte::kHuge | (frame + i * k2M) | (old & (pte::kAccessed | pte::kDirty));
  }
  used_[child] = kEntriesPerTable;
  *entry = pte::kPresent | (uint64_t{child} << 12) | (old & pte::kAccessed);
}

uint64_t PageTable::UnmapIn(uint32_t table, int level, uint64_t base, uint64_t lo, uint64_t hi) {
  const unsigned shift = 12 + 9 * level;
  const uint64_t span = uint64_t{1} << shift;
  uint64_t* t = TableOf(table);
  uint64_t removed = 0;
  const unsigned first = lo > base ? static_cast<unsigned>((lo - base) >> shift) : 0;
  for (unsigned i = first; i < kEntriesPerTable; ++i) {
    const uint64_t start = base + i * span;
    if (start >= hi) break;
    uint64_t& e = t[i];
    if (!pte::Present(e)) continue;
    const bool covered = start >= lo && start + span <= hi;
    if (pte::IsLeaf(e, level)) {
      if (covered) {
        removed += span;
        if (level == 0 && (e & pte::kZeroFilled)) --bloat_pages_;
        if (level == 1) {
          const auto it = filled_.find(start);
          if (it != filled_.end()) {
            bloat_pages_ -= it->second.count();
            filled_.erase(it);
          }
        }
        ClearEntry(table, i);
        continue;
      }
      // Partly covered huge leaf: split it, then unmap inside the new table.
      if (level == 1) SplitPmdLeaf(&e, start);
      else SplitPudLeaf(&e);
    }
    const uint32_t child = pte::TableId(e);
    removed += UnmapIn(child, level - 1, start, lo, hi);
    if (used_[child] == 0) {
      FreeTable(child);
      ClearEntry(table, i);
    }
  }
  return removed;
}

uint64_t PageTable::Unmap(uint64_t va, uint64_t length) {
  if (va >= va_limit()) return 0;
  const uint64_t hi = length > va_limit() - va ? va_limit() : va + length;
  const uint64_t lo = va & ~(k4K - 1);
  const uint64_t removed = UnmapIn(root_, levels_ - 1, 0, lo, (hi + k4K - 1) & ~(k4K - 1));
  resident_bytes_ -= removed;
  return removed;
}

CollapseResult PageTable::Collapse(uint64_t va, uint32_t max_ptes_none) {
  CollapseResult r;
  if (va & (k2M - 1)) return r.status = CollapseStatus::kUnaligned, r;
  if (va >= va_limit()) return r.status = CollapseStatus::kOutOfRange, r;
  uint32_t pmd_table = 0;
  if (!TableAt(va, 1, false, &pmd_table)) {
    // Either a PUD leaf covers it (already huge) or no tables exist (nothing to collapse).
    int level = 0;
    r.status = FindLeafEntry(va, &level) ? CollapseStatus::kAlreadyHuge : CollapseStatus::kEmpty;
    return r;
  }
  uint64_t* pmd = &TableOf(pmd_table)[Index(va, 1)];
  if (!pte::Present(*pmd)) return r.status = CollapseStatus::kEmpty, r;
  if (*pmd & pte::kHuge) return r.status = CollapseStatus::kAlreadyHuge, r;
  const uint32_t ptes = pte::TableId(*pmd);
  const uint64_t* t = TableOf(ptes);
  uint32_t none = 0;
  bool young = false;
  std::bitset<kEntriesPerTable> filled;
  for (unsigned i = 0; i < kEntriesPerTable; ++i) {
    if (!pte::Present(t[i])) {
      ++none;
      filled[i] = true;
      continue;
    }
    young |= (t[i] & pte::kAccessed) != 0;
    if (t[i] & pte::kZeroFilled) filled[i] = true;
  }
  r.none_ptes = none;
  if (none == kEntriesPerTable) return r.status = CollapseStatus::kEmpty, r;
  if (none > max_ptes_none) return r.status = CollapseStatus::kTooManyNone, r;
  if (!FramesFit(k2M, PageSize::k2M)) return r.status = CollapseStatus::kOutOfFrames, r;
  r.filled_pages = none;
  FreeTable(ptes);
  *pmd = pte::kPresent | pte::kHuge | AllocFrame(PageSize::k2M) | pte::kDirty | (young ? pte::kAccessed : 0);
  if (filled.any()) filled_[va] = filled;
  bloat_pages_ += none;
  resident_bytes_ += uint64_t{none} * k4K;
  return r;
}

bool PageTable::SplitPmd(uint64_t va) {
  int level = 0;
  uint64_t* e = FindLeafEntry(va, &level);
  if (!e || level != 1) return false;
  SplitPmdLeaf(e, va);
  return true;
}

bool PageTable::TestAndClear(uint64_t va, uint64_t bit) {
  int level = 0;
  uint64_t* e = FindLeafEntry(va, &level);
  if (!e) return false;
  const bool old = (*e & bit) != 0;
  *e &= ~bit;
  return old;
}

std::vector<MappedRange> PageTable::MappedRanges(uint64_t lo, uint64_t hi) const {
  std::vector<MappedRange> out;
  ForEachMappedRange(lo, hi, [&](const MappedRange& r) { out.push_back(r); });
  return out;
}

}  // namespace thp::tlbsim
