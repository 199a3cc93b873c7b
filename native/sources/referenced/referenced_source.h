// The `referenced` access source: which regions of this process's own memory were used (READ
// or written), without privileges, on any Linux with /proc/self/clear_refs (2.6.22+).
//
// A cycle, at most every `min_interval_us` and no more often than `cpu_budget_bp` of one core
// allows (its own measured cost decides): read the `Referenced:` bytes of every VMA from
// /proc/self/smaps, then write `2` to /proc/self/clear_refs (clears the Accessed bits of the
// process's anonymous pages, Documentation/filesystems/proc.rst). What a VMA referenced in the
// last completed window answers every sample until the next cycle. Region granularity comes
// from VMA boundaries: alternate 2 MiB-aligned cells of the monitored anonymous mappings are
// marked MADV_DONTDUMP (a VMA flag), which splits them into one VMA per cell; Release() marks
// them MADV_DODUMP again and the VMAs merge back. docs/sources.md lists every side effect.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/monitor/access_source.h"

namespace thp::sources {

struct ReferencedOptions {
  // Shortest time between two cycles (the window a sample's answer covers).
  uint64_t min_interval_us = 1'000'000;
  // The sampler's CPU allowance for cycles, in basis points of one core: after a cycle that
  // cost c, the next waits at least c * 10000 / cpu_budget_bp.
  uint32_t cpu_budget_bp = 100;
  // The program's allowance, in basis points of its time. Clearing the Accessed bits makes
  // the next access to each 4 KiB page set its bit again; in a VM that can be a trap to the
  // hypervisor (measured here: ~17 us per page, a 1 GiB buffer read at random lost ~4.5 s
  // after one clear). The source measures that cost on pages of its own at every clear,
  // estimates a window's cost as the 4 KiB pages referenced in it times that, and waits
  // at least cost * 10000 / program_budget_bp before the next clear.
  uint32_t program_budget_bp = 300;
};

// What the source did so far (the `state` command, for tests and benchmarks).
struct ReferencedState {
  uint64_t cycles = 0;
  uint64_t last_cycle_cpu_ns = 0;  // smaps read + clear_refs, thread CPU time
  uint64_t total_cycle_cpu_ns = 0;
  uint64_t interval_us = 0;             // until the next cycle, as last computed
  uint64_t access_bit_ns = 0;           // Accessed-bit cost per page, measured when the last window opened
  uint64_t last_window_program_ns = 0;  // estimated cost of the last window to the program
  uint64_t cell_bytes = 0;              // 0 before the first split
  uint64_t marked_ranges = 0;           // cells marked MADV_DONTDUMP now
};

class ReferencedSource : public monitor::AccessSource {
 public:
  // The tuner's unit probe: 4 KiB pages of [start, end) referenced in the last completed
  // window (pro rata where one VMA covers more than the range); -1 before the first window or
  // where no monitored VMA covers the range. Thread-safe; reads no file.
  virtual int64_t ReferencedPages(uint64_t start, uint64_t end) const = 0;
  virtual ReferencedState State() const = 0;
};

// nullptr with `why_not` set where the source cannot work (not Linux, no clear_refs).
std::unique_ptr<ReferencedSource> CreateReferencedSource(const ReferencedOptions& options, std::string* why_not);

}  // namespace thp::sources
