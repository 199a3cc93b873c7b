// Simulated x86-64 radix page table (4-level or 5-level) with 4 KiB, 2 MiB and 1 GiB leaves,
// hardware Accessed/Dirty bits, and the kernel-style operations on them (map, unmap,
// khugepaged collapse, PMD split, test-and-clear young/dirty as DAMON's vaddr ops do).
//
// Facts modelled (Intel SDM vol. 3A, 4.5 "4-Level Paging and 5-Level Paging"): every level is a 4 KiB table of 512 8-byte entries
// indexing 9 VA bits; leaves at PTE (4 KiB), PMD (2 MiB) and PUD (1 GiB); a 4-level table
// covers 48-bit VAs, a 5-level one 57-bit VAs.
//
// Storage is compact: each table is a heap array of 512 uint64_t entries, allocated on first
// use and freed when its last entry goes, so 64 GiB of 4 KiB mappings (16 M PTEs) costs
// 128 MiB of PTE tables plus a few hundred KiB above them -- the same as a real kernel.
//
// Entry encoding (x86 bit positions where x86 has them):
//   bit 0 present, bit 5 accessed, bit 6 dirty, bit 7 page-size (leaf above PTE level),
//   bit 9 (software) "zero-filled by collapse" on a PTE, bits 12..51 frame number for leaves or
//   table id for non-leaf entries. Which 4 KiB pages under a collapsed PMD leaf were zero-filled
//   is kept on the side (filled_), so a later split marks exactly those PTEs again.
// Physical addresses are simulated: data frames come from a bump allocator, and table `id`
// lives at physical address kTablePhysBase + id * 4096 so walks can be costed and translated
// through a host table in nested mode.
#pragma once

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "core/tlbsim/compiler.h"

namespace thp::tlbsim {

enum class PageSize : uint8_t { k4K = 0, k2M = 1, k1G = 2 };
constexpr int kPageSizeCount = 3;

constexpr unsigned PageShift(PageSize s) { return 12u + 9u * static_cast<unsigned>(s); }
constexpr uint64_t PageBytes(PageSize s) { return uint64_t{1} << PageShift(s); }

// Where a translation ends: the leaf entry's size, frame and A/D bits.
struct Leaf {
  PageSize size = PageSize::k4K;
  uint64_t phys_base = 0;  // physical address of the leaf page (aligned to its size)
  bool accessed = false;
  bool dirty = false;
};

// A run of consecutive virtual addresses mapped by leaves of one size.
struct MappedRange {
  uint64_t start = 0;
  uint64_t length = 0;
  PageSize size = PageSize::k4K;
};

// Where a hardware walk stopped: the level of the last entry it read (its leaf, or the absent
// entry that ended it; levels() when it read none) and the leaf when it found one. Levels
// count from 0 (PTE table) to levels-1 (root).
struct WalkEnd {
  int level = 0;
  bool mapped = false;
  Leaf leaf;
};

// The entries a walk reads above some level, root first (present tables all), with their
// physical addresses, and the table it reads that level's entry from.
struct PathAbove {
  static constexpr int kMaxEntries = 3;  // a 5-level walk above the PMD level
  uint64_t* entry[kMaxEntries];
  uint64_t phys[kMaxEntries];
  int count = 0;
  uint32_t table = 0;
};

// kOutOfFrames: the simulated physical memory (data frames below PageTable::kTablePhysBase,
// handed out once and never reused) cannot hold the new pages.
enum class MapStatus : uint8_t { kOk, kUnaligned, kOutOfRange, kOverlaps, kUnsupportedSize, kOutOfFrames };
enum class CollapseStatus : uint8_t { kOk, kUnaligned, kOutOfRange, kAlreadyHuge, kTooManyNone, kEmpty, kOutOfFrames };

struct CollapseResult {
  CollapseStatus status = CollapseStatus::kOk;
  uint32_t none_ptes = 0;     // absent PTEs found in the 2 MiB range
  uint32_t filled_pages = 0;  // absent PTEs that became zero-filled (bloat) memory
};

// ---- entry bit helpers (shared by the implementation and the templates below) ----
namespace pte {
constexpr uint64_t kPresent = 1ull << 0;
constexpr uint64_t kAccessed = 1ull << 5;
constexpr uint64_t kDirty = 1ull << 6;
constexpr uint64_t kHuge = 1ull << 7;
constexpr uint64_t kZeroFilled = 1ull << 9;
constexpr uint64_t kAddrMask = ((1ull << 52) - 1) & ~0xfffull;
inline bool Present(uint64_t e) { return e & kPresent; }
// A leaf at `level` (0 = PTE level, where every present entry is a leaf).
inline bool IsLeaf(uint64_t e, int level) { return level == 0 || (e & kHuge); }
inline uint32_t TableId(uint64_t e) { return static_cast<uint32_t>((e & kAddrMask) >> 12); }
// The physical address of the page a leaf entry of `size` maps.
inline uint64_t LeafFrame(uint64_t e, PageSize size) { return e & kAddrMask & ~(PageBytes(size) - 1); }
}  // namespace pte

class PageTable {
 public:
  // Table pages sit above every data frame (data frames stay below 64 TiB: Map and Collapse
  // refuse frames past it), and below 2^48 so that a 4-level host table can map a guest's
  // tables in nested mode.
  static constexpr uint64_t kTablePhysBase = uint64_t{1} << 46;
  static constexpr unsigned kEntriesPerTable = 512;

  // levels: 4 or 5 (anything else is treated as 4; the TS layer validates).
  explicit PageTable(int levels = 4);
  ~PageTable();
  PageTable(const PageTable&) = delete;
  PageTable& operator=(const PageTable&) = delete;

  // Called with each new slab (2 MiB, 2 MiB aligned). The Linux addon installs one that asks for
  // transparent huge pages, so that the simulator's own table walks (it is itself bound by the
  // TLB on big tables) stay cheap; the portable core never calls the OS itself.
  using SlabAdvice = void (*)(void* slab, size_t bytes);
  static void SetSlabAdvice(SlabAdvice advice);

  int levels() const { return levels_; }
  // One past the highest mappable virtual address (2^48 or 2^57).
  uint64_t va_limit() const { return uint64_t{1} << (12 + 9 * levels_); }

  // Maps [va, va+length) with leaves of `size`; both must be aligned to the size, and nothing
  // in the range may already be mapped (the table is left unchanged on failure).
  MapStatus Map(uint64_t va, uint64_t length, PageSize size);
  // Maps the one page of `size` at `va` (aligned, inside va_limit()) whose range the caller
  // knows holds no leaf, and describes the new leaf in *leaf: Map without the overlap check,
  // for a nested walk's host table, which maps a host page on its first touch.
  void MapUncovered(uint64_t va, PageSize size, Leaf* leaf);
  // Unmaps every leaf inside [va, va+length) (4 KiB aligned). A PMD leaf only partly covered is
  // split first and a PUD leaf only partly covered is split into PMDs, as the kernel does.
  // Returns the number of bytes that were mapped and are now gone.
  uint64_t Unmap(uint64_t va, uint64_t length);

  // khugepaged's rule (mm/khugepaged.c hpage_collapse_scan_pmd):
  // the 2 MiB range at `va` (2 MiB aligned) becomes one PMD leaf if at most `max_ptes_none` of
  // its 512 PTEs are absent; absent ones become zero-filled pages, counted as bloat. The new
  // leaf gets a fresh frame (collapse copies) and is young if any PTE was young, and dirty
  // as collapse_huge_page makes it (pmd_mkdirty).
  CollapseResult Collapse(uint64_t va, uint32_t max_ptes_none);
  // Splits the PMD leaf covering `va` into 512 PTEs into the same frame, each inheriting the
  // PMD's A/D bits (__split_huge_pmd_locked). False if no PMD leaf covers `va`.
  bool SplitPmd(uint64_t va);

  // Translation without side effects.
  bool Lookup(uint64_t va, Leaf* leaf) const;
  bool IsMapped(uint64_t va) const { return Lookup(va, nullptr); }

  // A hardware walk: calls step(level, entry_phys) for each entry it reads, root first, sets
  // Accessed on every entry it uses (non-leaf ones too, as x86 does) and Dirty on the leaf when
  // `write`. Inlined into the walker, whose walk-heavy loop it dominates.
  template <typename StepFn>
  WalkEnd Walk(uint64_t va, bool write, StepFn&& step) {
    if (va < va_limit()) return WalkFrom(va, levels_ - 1, root_, write, step);
    WalkEnd end;
    end.level = levels_;
    return end;
  }
  // The same walk with its part above `level` known (FindPathAbove): those entries are
  // present tables, so they are only stepped over and marked accessed.
  template <typename StepFn>
  WalkEnd WalkAlong(const PathAbove& above, uint64_t va, int level, bool write, StepFn&& step) {
    for (int k = 0; k < above.count; ++k) {
      step(levels_ - 1 - k, above.phys[k]);
      *above.entry[k] |= pte::kAccessed;
    }
    return WalkFrom(va, level, above.table, write, step);
  }
  // Calls fn(entry, entry_phys) for each entry a walk of `va` would read, root first, ending at
  // its leaf or the absent entry that ends it, without side effects. Lets batch simulation
  // prefetch what upcoming walks read (the leaf, and the line-cache sets of every level).
  template <typename Fn>
  void PeekWalk(uint64_t va, Fn&& fn) const {
    if (va < va_limit()) PeekWalkFrom(va, levels_ - 1, root_, fn);
  }
  // The same from the table `table` at `level` on va's path (see FindPathAbove) down.
  template <typename Fn>
  void PeekWalkFrom(uint64_t va, int level, uint32_t table, Fn&& fn) const;
  // The entries a walk of `va` reads above `level` and the table it reads its `level` entry
  // from, found without side effects; false if the walk ends above that level. Stays right until
  // the next map change, for every va of the span one entry at level+1 covers.
  bool FindPathAbove(uint64_t va, int level, PathAbove* above) const {
    bool found = false;
    int l = levels_;
    above->count = 0;
    PeekWalk(va, [&](const uint64_t* e, uint64_t phys) {
      if (--l > level) {
        above->entry[above->count] = const_cast<uint64_t*>(e);  // our own table storage, reached through the const walk
        above->phys[above->count++] = phys;
      } else if (l == level) {
        above->table = static_cast<uint32_t>((phys - kTablePhysBase) >> 12);
        found = true;
      }
    });
    return found;
  }
  // The entry a walk of `va` ends at (its leaf, or the absent entry that ends it) and its
  // level, located without reading that entry, so a batch can prefetch it and use it later
  // (until the next mapping change). Null past va_limit().
  uint64_t* EndEntry(uint64_t va, int* level) {
    if (va < va_limit()) return EndEntryFrom(va, levels_ - 1, root_, level);
    *level = levels_;
    return nullptr;
  }
  // The same from the table `table` at `level` on va's path (see FindPathAbove) down.
  uint64_t* EndEntryFrom(uint64_t va, int level, uint32_t table, int* end_level) {
    const uint64_t* end = nullptr;
    int l = level + 1;
    PeekWalkFrom(va, level, table, [&](const uint64_t* e, uint64_t) { end = e, --l; });
    *end_level = l;
    return const_cast<uint64_t*>(end);  // our own table storage, reached through the const walk
  }

  // Test-and-clear of the leaf covering `va`, whatever its size (DAMON's damon_ptep_mkold /
  // damon_pmdp_mkold; Documentation/mm/damon/design.rst, "PTE Accessed-bit Based Access Check"). Returns the old bit; false if unmapped.
  // Like ptep_test_and_clear_young on x86 this does not touch any TLB: callers that simulate
  // TLBs decide whether to invalidate.
  bool TestAndClearAccessed(uint64_t va) { return TestAndClear(va, pte::kAccessed); }
  bool TestAndClearDirty(uint64_t va) { return TestAndClear(va, pte::kDirty); }

  // Calls fn(MappedRange) for each maximal run of same-size leaves in [lo, hi), in order. Runs
  // are whole leaves: the first may start below `lo` and the last end above `hi`.
  template <typename Fn>
  void ForEachMappedRange(uint64_t lo, uint64_t hi, Fn&& fn) const;
  std::vector<MappedRange> MappedRanges(uint64_t lo, uint64_t hi) const;

  uint64_t resident_bytes() const { return resident_bytes_; }
  uint64_t bloat_bytes() const { return bloat_pages_ * PageBytes(PageSize::k4K); }
  uint64_t table_count() const { return live_tables_; }
  uint64_t table_bytes() const { return live_tables_ * 4096; }

  // Calls fn(va, size) for every leaf in [lo, hi) in ascending order (the building block of
  // ForEachMappedRange; skips absent subtrees without visiting them).
  template <typename Fn>
  void ForEachLeaf(uint64_t lo, uint64_t hi, Fn&& fn) const;

 private:
  bool TestAndClear(uint64_t va, uint64_t bit);
  // A walk from the table `table` at `level` on va's path down.
  template <typename StepFn>
  WalkEnd WalkFrom(uint64_t va, int level, uint32_t table, bool write, StepFn&& step);
  uint32_t NewTable();
  void FreeTable(uint32_t id);
  uint64_t* TableOf(uint32_t id) const {
    return slabs_[id >> kSlabShift].get() + size_t{id & (kSlabTables - 1)} * kEntriesPerTable;
  }
  unsigned Index(uint64_t va, int level) const { return (va >> (12 + 9 * level)) & 511u; }
  // The table holding `va`'s entry at `level` (levels-1 = root), creating tables on the way if
  // `create`; false if a leaf sits above `level` or a table is missing and !create.
  bool TableAt(uint64_t va, int level, bool create, uint32_t* table);
  const uint64_t* FindLeafEntry(uint64_t va, int* level) const;
  uint64_t* FindLeafEntry(uint64_t va, int* level);
  uint64_t AllocFrame(PageSize size);
  // Whether `bytes` of frames of `size` still fit below kTablePhysBase (so that data and table
  // addresses never alias in the line cache or a nested host table).
  bool FramesFit(uint64_t bytes, PageSize size) const;
  // Maps one page of `size` at `va` into a free range; returns its frame.
  uint64_t MapFreePage(uint64_t va, PageSize size);
  void SetEntry(uint32_t table, unsigned index, uint64_t value);
  void ClearEntry(uint32_t table, unsigned index);
  void SplitPudLeaf(uint64_t* entry);
  void SplitPmdLeaf(uint64_t* entry, uint64_t va);
  uint64_t UnmapIn(uint32_t table, int level, uint64_t base, uint64_t lo, uint64_t hi);
  bool RangeFree(uint64_t va, uint64_t length) const;
  template <typename Fn>
  void LeavesIn(uint32_t table, int level, uint64_t base, uint64_t lo, uint64_t hi, Fn& fn) const;

  int levels_;
  uint32_t root_;
  // Tables live in 2 MiB-aligned slabs of kSlabTables (2 MiB), so a table id turns into an
  // address with one small, always-cached lookup; freed ids are reused, slabs are kept until
  // destruction. Slab pages are touched only as tables are handed out.
  static constexpr unsigned kSlabShift = 9;
  static constexpr uint32_t kSlabTables = 1u << kSlabShift;
  static constexpr size_t kSlabBytes = size_t{kSlabTables} * kEntriesPerTable * sizeof(uint64_t);
  struct SlabDelete {
    void operator()(uint64_t* p) const;
  };
  std::vector<std::unique_ptr<uint64_t[], SlabDelete>> slabs_;
  uint32_t table_ids_ = 0;      // ids handed out so far
  std::vector<uint16_t> used_;  // present entries per table
  std::vector<uint32_t> free_ids_;
  uint64_t live_tables_ = 0;
  uint64_t next_frame_ = 0;  // bump allocator for data frames (physical address)
  uint64_t resident_bytes_ = 0;
  uint64_t bloat_pages_ = 0;
  // Zero-filled 4 KiB pages under each PMD leaf that has any, keyed by the leaf's 2 MiB VA.
  std::unordered_map<uint64_t, std::bitset<kEntriesPerTable>> filled_;
};

template <typename Fn>
void PageTable::LeavesIn(uint32_t table, int level, uint64_t base, uint64_t lo, uint64_t hi, Fn& fn) const {
  const unsigned shift = 12 + 9 * level;
  const uint64_t span = uint64_t{1} << shift;
  const uint64_t* t = TableOf(table);
  unsigned first = lo > base ? static_cast<unsigned>((lo - base) >> shift) : 0;
  for (unsigned i = first; i < kEntriesPerTable; ++i) {
    const uint64_t start = base + i * span;
    if (start >= hi) return;
    const uint64_t e = t[i];
    if (!pte::Present(e)) continue;
    if (pte::IsLeaf(e, level)) {
      fn(start, static_cast<PageSize>(level));
    } else {
      LeavesIn(pte::TableId(e), level - 1, start, lo, hi, fn);
    }
  }
}

template <typename StepFn>
THP_TLBSIM_INLINE WalkEnd PageTable::WalkFrom(uint64_t va, int level, uint32_t table, bool write, StepFn&& step) {
  WalkEnd end;
  for (int l = level; l >= 0; --l) {
    const unsigned idx = Index(va, l);
    uint64_t& e = TableOf(table)[idx];
    step(l, kTablePhysBase + uint64_t{table} * 4096 + uint64_t{idx} * 8);
    end.level = l;
    if (!pte::Present(e)) return end;
    e |= pte::kAccessed;
    if (pte::IsLeaf(e, l)) {
      if (write) e |= pte::kDirty;
      end.mapped = true;
      end.leaf.size = static_cast<PageSize>(l);
      end.leaf.phys_base = pte::LeafFrame(e, end.leaf.size);
      end.leaf.accessed = true;
      end.leaf.dirty = (e & pte::kDirty) != 0;
      return end;
    }
    table = pte::TableId(e);
  }
  return end;
}

template <typename Fn>
void PageTable::PeekWalkFrom(uint64_t va, int level, uint32_t table, Fn&& fn) const {
  for (int l = level;; --l) {
    const unsigned idx = Index(va, l);
    const uint64_t* e = &TableOf(table)[idx];
    fn(e, kTablePhysBase + uint64_t{table} * 4096 + uint64_t{idx} * 8);
    if (l == 0 || !pte::Present(*e) || pte::IsLeaf(*e, l)) return;
    table = pte::TableId(*e);
  }
}

template <typename Fn>
void PageTable::ForEachLeaf(uint64_t lo, uint64_t hi, Fn&& fn) const {
  if (hi > va_limit()) hi = va_limit();
  if (lo >= hi) return;
  LeavesIn(root_, levels_ - 1, 0, lo, hi, fn);
}

template <typename Fn>
void PageTable::ForEachMappedRange(uint64_t lo, uint64_t hi, Fn&& fn) const {
  MappedRange run;
  bool open = false;
  ForEachLeaf(lo, hi, [&](uint64_t va, PageSize size) {
    if (open && run.size == size && run.start + run.length == va) {
      run.length += PageBytes(size);
      return;
    }
    if (open) fn(run);
    run = MappedRange{va, PageBytes(size), size};
    open = true;
  });
  if (open) fn(run);
}

}  // namespace thp::tlbsim
