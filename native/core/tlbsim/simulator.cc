// TLB hierarchy simulation; see simulator.h.
#include "core/tlbsim/simulator.h"

namespace thp::tlbsim {

Simulator::Simulator(SimConfig config) : config_(std::move(config)), table_(config_.levels), walker_(config_, &table_) {
  l1_ = BuildLevel(config_.l1);
  l2_ = BuildLevel(config_.l2);
}

Simulator::Level Simulator::BuildLevel(const TlbLevelConfig& cfg) {
  Level level;
  for (size_t a = 0; a < cfg.arrays.size(); ++a) {
    level.arrays.emplace_back(cfg.arrays[a].shape);
    if (cfg.arrays[a].shape.entries == 0) continue;
    for (int s = 0; s < kPageSizeCount; ++s) {
      if (cfg.arrays[a].sizes & (1u << s)) level.probes.push_back(Probe{static_cast<uint16_t>(a), static_cast<PageSize>(s)});
    }
  }
  for (int s = 0; s < kPageSizeCount; ++s) {
    level.insert_array[s] = -1;
    level.insert_size[s] = PageSize::k4K;
    // The largest size <= s that some array holds; the first such array receives it.
    for (int t = s; t >= 0 && level.insert_array[s] < 0; --t) {
      for (size_t a = 0; a < cfg.arrays.size(); ++a) {
        if (cfg.arrays[a].shape.entries != 0 && (cfg.arrays[a].sizes & (1u << t))) {
          level.insert_array[s] = static_cast<int>(a);
          level.insert_size[s] = static_cast<PageSize>(t);
          break;
        }
      }
    }
  }
  return level;
}

THP_TLBSIM_INLINE bool Simulator::LookupLevel(Level& level, uint64_t va, int* array, int* slot, PageSize* size) {
  const uint32_t n = static_cast<uint32_t>(level.probes.size());
  const Probe* probes = level.probes.data();
  uint32_t p = level.last_probe;
  for (uint32_t k = n; k != 0; --k, p = p + 1 == n ? 0 : p + 1) {
    const Probe probe = probes[p];
    if (level.held[static_cast<int>(probe.size)] == 0) continue;
    const int s = level.arrays[probe.array].Hit(Key(va, probe.size));
    if (s != TlbArray::kMiss) {
      level.last_probe = p;
      *array = probe.array;
      *slot = s;
      *size = probe.size;
      return true;
    }
  }
  return false;
}

THP_TLBSIM_INLINE int Simulator::Fill(Level& level, uint64_t va, PageSize size, bool dirty, int* array) {
  const int a = level.insert_array[static_cast<int>(size)];
  *array = a;
  if (a < 0) return TlbArray::kMiss;
  TlbArray& arr = level.arrays[a];
  // No lookup first: Fill only follows a miss of every probe of this level, and the stored
  // size is one the array holds, so that probe already found the key absent.
  const PageSize stored = level.insert_size[static_cast<int>(size)];
  uint64_t evicted;
  const int slot = arr.Insert(Key(va, stored), &evicted);
  arr.set_flag(slot, dirty);
  ++level.held[static_cast<int>(stored)];
  if (evicted != TlbArray::kNoKey) --level.held[static_cast<int>(KeySize(evicted))];
  return slot;
}

void Simulator::HandleWriteHit(Level& level, int array, int slot, uint64_t va) {
  TlbArray& arr = level.arrays[array];
  if (arr.flag(slot)) return;
  // The cached entry says "clean": the CPU must walk to set D in the table (the entry itself
  // is then rewritten with D set).
  ++counters_.dirty_assists;
  walker_.Walk(va, true);
  arr.set_flag(slot, true);
}

void Simulator::Access(uint64_t va, bool write) {
  ++counters_.accesses;
  counters_.writes += write ? 1 : 0;
  ++counters_.l1.lookups;
  if (recent_.valid && (va >> PageShift(recent_.size)) == recent_.page) {
    ++counters_.l1.hits[static_cast<int>(recent_.size)];
    if (write) HandleWriteHit(l1_, recent_.array, recent_.slot, va);
    return;
  }
  int array = 0, slot = 0;
  PageSize size = PageSize::k4K;
  if (LookupLevel(l1_, va, &array, &slot, &size)) {
    ++counters_.l1.hits[static_cast<int>(size)];
    if (write) HandleWriteHit(l1_, array, slot, va);
    Remember(array, slot, size, va);
    return;
  }
  AccessAfterL1Miss(va, write);
}

void Simulator::AccessAfterL1Miss(uint64_t va, bool write) {
  int array = 0, slot = 0;
  PageSize size = PageSize::k4K;
  recent_.valid = false;
  ++counters_.l2.lookups;
  if (LookupLevel(l2_, va, &array, &slot, &size)) {
    ++counters_.l2.hits[static_cast<int>(size)];
    ++counters_.l1.misses[static_cast<int>(size)];
    if (write) HandleWriteHit(l2_, array, slot, va);
    int l1_array = 0;
    const int l1_slot = Fill(l1_, va, size, l2_.arrays[array].flag(slot), &l1_array);
    if (l1_slot != TlbArray::kMiss) Remember(l1_array, l1_slot, l1_.insert_size[static_cast<int>(size)], va);
    return;
  }
  const WalkOutcome w = walker_.Walk(va, write);
  if (!w.mapped) {
    ++counters_.faults;
    return;
  }
  ++counters_.l1.misses[static_cast<int>(w.size)];
  ++counters_.l2.misses[static_cast<int>(w.size)];
  int l1_array = 0;
  Fill(l2_, va, w.size, w.dirty, &l1_array);
  const int l1_slot = Fill(l1_, va, w.size, w.dirty, &l1_array);
  if (l1_slot != TlbArray::kMiss) Remember(l1_array, l1_slot, l1_.insert_size[static_cast<int>(w.size)], va);
}

template <typename AddrAt, typename WriteAt>
void Simulator::BatchLoop(size_t n, AddrAt addr, WriteAt write) {
  const uint64_t walks_before = walker_.counters().walks;
  if (prefetch_walks_) {
    const bool nested = config_.nested.enabled;
    const size_t ahead = n < kLookahead ? n : kLookahead;
    for (size_t i = 0; i < ahead; ++i) walker_.Prefetch(addr(i));
    for (size_t i = 0; i < n; ++i) {
      // The STLB's bookkeeping is a few KiB and stays cached: only the walk is prefetched.
      if (i + kLookahead < n) walker_.Prefetch(addr(i + kLookahead));
      if (nested && i + kLookahead / 2 < n) walker_.PrefetchDataTranslation(addr(i + kLookahead / 2));
      Access(addr(i), write(i));
    }
    walker_.EndPrefetching();
  } else {
    for (size_t i = 0; i < n; ++i) Access(addr(i), write(i));
  }
  // Walk-heavy batches (more than one walk in eight accesses) turn prefetching on for the next.
  if (n >= 64) prefetch_walks_ = (walker_.counters().walks - walks_before) * 8 > n;
}

void Simulator::AccessBatch(const uint64_t* vas, const uint8_t* writes, size_t n, bool all_write) {
  if (writes) {
    BatchLoop(
        n, [vas](size_t i) { return vas[i]; }, [writes](size_t i) { return writes[i] != 0; });
  } else {
    BatchLoop(
        n, [vas](size_t i) { return vas[i]; }, [all_write](size_t) { return all_write; });
  }
}

void Simulator::AccessBatch(const double* vas, size_t n, bool write) {
  BatchLoop(
      n, [vas](size_t i) { return static_cast<uint64_t>(vas[i]); }, [write](size_t) { return write; });
}

void Simulator::Run(WorkloadGenerator& gen, uint64_t count) {
  while (count > 0) {
    const size_t n = count < kChunk ? static_cast<size_t>(count) : kChunk;
    gen.Fill(chunk_addrs_, chunk_writes_, n);
    AccessBatch(chunk_addrs_, chunk_writes_, n, false);
    count -= n;
  }
}

void Simulator::InvalidateRange(uint64_t lo, uint64_t hi) {
  auto overlaps = [lo, hi](uint64_t key) {
    const uint64_t start = KeyStart(key);
    return start < hi && start + PageBytes(KeySize(key)) > lo;
  };
  recent_.valid = false;
  for (Level* level : {&l1_, &l2_}) {
    for (auto& a : level->arrays) {
      a.EraseIf([&](uint64_t key) {
        if (!overlaps(key)) return false;
        --level->held[static_cast<int>(KeySize(key))];
        return true;
      });
    }
  }
  walker_.FlushWalkCaches();
}

MapStatus Simulator::Map(uint64_t va, uint64_t length, PageSize size) {
  // A new mapping needs no invalidation (nothing was cached for unmapped addresses), but the
  // walk caches may hold entries for tables this creates; they stay valid (tables only grow).
  return table_.Map(va, length, size);
}

uint64_t Simulator::Unmap(uint64_t va, uint64_t length) {
  const uint64_t removed = table_.Unmap(va, length);
  InvalidateRange(va, va + length);
  return removed;
}

CollapseResult Simulator::Collapse(uint64_t va, uint32_t max_ptes_none) {
  const CollapseResult r = table_.Collapse(va, max_ptes_none);
  if (r.status == CollapseStatus::kOk) InvalidateRange(va, va + PageBytes(PageSize::k2M));
  return r;
}

bool Simulator::Split(uint64_t va) {
  const uint64_t base = va & ~(PageBytes(PageSize::k2M) - 1);
  if (!table_.SplitPmd(va)) return false;
  InvalidateRange(base, base + PageBytes(PageSize::k2M));
  return true;
}

bool Simulator::TestAndClear(uint64_t va, bool flush, bool dirty) {
  Leaf leaf;
  if (!table_.Lookup(va, &leaf)) return false;
  const bool old = dirty ? table_.TestAndClearDirty(va) : table_.TestAndClearAccessed(va);
  if (flush) {
    const uint64_t start = va & ~(PageBytes(leaf.size) - 1);
    InvalidateRange(start, start + PageBytes(leaf.size));
  }
  return old;
}

ReachUse Simulator::Reach(int which) const {
  const Level& level = which == 1 ? l1_ : l2_;
  ReachUse r;
  for (const auto& a : level.arrays) {
    r.entries_total += a.entries();
    a.ForEachKey([&](uint64_t key) {
      ++r.entries_valid;
      r.used_bytes += PageBytes(KeySize(key));
    });
  }
  return r;
}

double Simulator::TranslationCycles() const {
  const WalkCounters& w = walker_.counters();
  return static_cast<double>(counters_.l2.lookups) * config_.cost.l2_hit_cycles +
         static_cast<double>(w.cache_refs) * config_.cost.cache_ref_cycles +
         static_cast<double>(w.dram_refs) * config_.cost.dram_ref_cycles;
}

void Simulator::ClearCounters() {
  counters_ = SimCounters{};
  walker_.ClearCounters();
}

void Simulator::Reset() {
  recent_.valid = false;
  for (Level* level : {&l1_, &l2_}) {
    for (auto& a : level->arrays) a.Clear();
    for (auto& h : level->held) h = 0;
  }
  walker_.Reset();
  ClearCounters();
}

}  // namespace thp::tlbsim
