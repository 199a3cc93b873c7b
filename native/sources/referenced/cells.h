// The portable half of the referenced source: where to split monitored memory into VMAs
// (cells), what the last window says about an address, and when the next window is due.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "core/monitor/region.h"

namespace thp::sources {

constexpr uint64_t kCellUnit = uint64_t{2} << 20;  // cells are 2 MiB-aligned multiples of this

// The cells to mark so that every cell of `spans` (sorted, disjoint) becomes its own VMA:
// the odd-numbered cells of size `cell_bytes` (absolute address / cell_bytes odd), cut to the
// spans. `cell_bytes` is the smallest power-of-two multiple of 2 MiB whose split adds at most
// `max_new_vmas` VMAs; 0 (and nothing marked) when even the largest would not fit.
struct CellPlan {
  uint64_t cell_bytes = 0;
  std::vector<monitor::AddressRange> marked;
};
CellPlan PlanCells(const std::vector<monitor::AddressRange>& spans, uint64_t max_new_vmas);

// One VMA of the last window: its bounds, the bytes smaps reported referenced, and the region
// its cell was armed for.
struct WindowVma {
  uint64_t start = 0;
  uint64_t end = 0;
  uint64_t referenced = 0;
  monitor::AddressRange armed_for;
};

// The window per region its cells were armed for (the regions of one opening are disjoint):
// what they referenced and their size, by address.
struct ArmedRegion {
  monitor::AddressRange region;
  uint64_t referenced = 0;
  uint64_t bytes = 0;
};
std::vector<ArmedRegion> ByArmedRegion(const std::vector<WindowVma>& window);

// Whether the sample at `addr`, drawn from `region`, counts as accessed. DAMON judges a region
// by one sampled page per sample; here by the window VMAs inside it: the cell armed for it when
// the window opened, or several where regions merged since. A region with none (split off
// since) is judged by the cells armed for the regions it was part of, else by the window VMA
// nearest to `addr`. The page is taken as one of their
// referenced pages with probability referenced / size (a fixed hash of the page decides, so
// the answer is repeatable), which makes nr_accesses estimate the share of the region's pages
// used in the window. Not accessed when the window is empty.
bool SampleAccessed(const std::vector<WindowVma>& window, const std::vector<struct ArmedRegion>& armed_regions,
                    const monitor::AddressRange& region, uint64_t addr);

// The address whose cell is armed for `region` in arming round `round` of `rounds`: the
// sampled address `sampled` first, then points spaced size/rounds apart from it, wrapping
// around the region. A stratified sample rather than independent draws: a region of at most
// `rounds` cells gets every cell armed (consecutive points are at most one cell apart), and a
// larger one gets cells spread evenly over it, at an offset the random sample chose.
uint64_t ArmingAddress(const monitor::AddressRange& region, uint64_t sampled, uint32_t round, uint32_t rounds);

// What smaps said of one armed cell when its window closed (at `closed_us`, steady clock).
struct CellObservation {
  uint64_t end = 0;
  uint64_t referenced = 0;
  uint64_t closed_us = 0;
};
using CellObservations = std::map<uint64_t, CellObservation>;  // by the cell's start, disjoint

// Keeps the latest observation of every cell: each VMA of the window closed at `closed_us`
// replaces the observations it overlaps (a cell armed again, or cells of another size since
// the targets changed).
void RecordObservations(CellObservations* observed, const std::vector<WindowVma>& window, uint64_t closed_us);

// Referenced 4 KiB pages of [start, end), pro rata per observation closed at or after
// `since_us`; -1 when no such observation overlaps it.
int64_t ReferencedPagesIn(const CellObservations& observed, uint64_t start, uint64_t end, uint64_t since_us);

// Microseconds until the next window: at least `min_interval_us`, and long enough that the
// opening's own CPU time (`cycle_cpu_ns`) stays within `cpu_budget_bp` of one core and what
// the opened window may cost the program (`program_ns`: the armed pages' Accessed bits set
// again) within `program_budget_bp` of its time.
uint64_t NextIntervalUs(uint64_t cycle_cpu_ns, uint64_t program_ns, uint64_t min_interval_us, uint32_t cpu_budget_bp,
                        uint32_t program_budget_bp);

// The next rate window after one whose rate cell used `referenced` of its `resident` bytes:
// halved when nearly every page was used (more than 90 %: the count says only "at least so
// often"), doubled when few were (under 30 %: the count is small), within
// [kMinRateWindowUs, kMaxRateWindowUs] (referenced_source.h).
uint64_t NextRateWindowUs(uint64_t current_us, uint64_t resident, uint64_t referenced);

}  // namespace thp::sources
