// The `referenced` access source: which regions of this process's own memory were used (READ
// or written), without privileges, on Linux 5.4+ (MADV_COLD and /proc/self/smaps).
//
// A window opens at a sample, at most every `min_interval_us` and no more often than the
// budgets allow: the cell holding each region's sampled address, and a few more drawn in the
// region, are armed with MADV_COLD,
// which clears the Accessed bits of its pages (madvise(2)); the next opening reads their
// `Referenced:` bytes from /proc/self/smaps (Documentation/filesystems/proc.rst), and what the
// cells referenced answers every sample until the one after. Region granularity comes from VMA
// boundaries: alternate 2 MiB-aligned cells of the monitored anonymous mappings are marked
// MADV_DONTDUMP (a VMA flag), which splits them into one VMA per cell; Release() marks them
// MADV_DODUMP again and the VMAs merge back. docs/sources.md lists every side effect.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/monitor/access_source.h"

namespace thp::sources {

struct ReferencedOptions {
  // Shortest time between two window openings (the window a sample's answer covers).
  uint64_t min_interval_us = 1'000'000;
  // The sampler's CPU allowance, in basis points of one core: after an opening (smaps read and
  // arming) that cost c, the next waits at least c * 10000 / cpu_budget_bp.
  uint32_t cpu_budget_bp = 100;
  // The program's allowance, in basis points of its time. After MADV_COLD, the next access to
  // each armed page sets its Accessed bit again; in a VM that can be a trap to the hypervisor
  // (measured here: 5-30 us per page), and while MADV_COLD runs the program's threads wait for
  // its TLB flushes. At each opening the source measures the first on pages of its own and
  // times the second; it counts a window's cost as the armed pages used in it times the first,
  // plus the second, and waits at least cost * 10000 / program_budget_bp before the next
  // opening; no window arms more resident pages than the budget of a 10 s window pays for.
  uint32_t program_budget_bp = 200;
  // How long a cell wholly mapped by huge pages (PMD-mapped) may go without being armed: until
  // its latest observation is this old, that observation stands in for it in each window and
  // the cell is left alone. In this project's VMs every window that armed some of a reader's
  // huge-mapped hot cells stalled the reader once for milliseconds, however few cells
  // (docs/sources.md); a huge page's use changes nothing the tuner does, so such cells are
  // re-armed rarely. 0: armed like any other cell.
  uint64_t huge_interval_us = 10'000'000;
  // The rate probe's first short window (0: no probe). A window of about a second says which
  // pages are used, not how often: a page read 100 times a second and one read 5 times look
  // the same. So at each opening the source also arms one cell that the last windows found
  // mostly used (a rate cell), waits this long, and the same smaps read tells how many of its
  // pages were used in that short time (RateObservation). The wait adapts to the cells between
  // kMinRateWindowUs and kMaxRateWindowUs so that a fair share of the pages, not all, is used.
  // It runs on the sampler's thread, which sleeps through it.
  uint64_t rate_window_us = 0;
};

constexpr uint64_t kMinRateWindowUs = 1'000;
constexpr uint64_t kMaxRateWindowUs = 50'000;

// One rate cell's short window: how many of its resident pages were used in `window_ns`, from
// the middle of its MADV_COLD to the smaps read reaching it. The program's accesses to the
// armed pages set their Accessed bits again at `access_bit_ns` per page (the source's latest
// measurement), time in which it accessed nothing: an estimate of the pages' access rate takes
// it out of the window (docs/sources.md, "Rate probe").
struct RateObservation {
  uint64_t start = 0;
  uint64_t end = 0;
  uint64_t resident_bytes = 0;
  uint64_t referenced_bytes = 0;
  uint64_t window_ns = 0;
  uint64_t access_bit_ns = 0;
};

// What the source did so far (the `state` command, for tests and benchmarks).
struct ReferencedState {
  uint64_t cycles = 0;             // windows completed
  uint64_t last_cycle_cpu_ns = 0;  // the last opening (smaps read + arming), thread CPU time
  uint64_t total_cycle_cpu_ns = 0;
  uint64_t interval_us = 0;             // until the next opening, as last computed
  uint64_t access_bit_ns = 0;           // Accessed-bit cost per page, measured when the last completed window opened
  uint64_t arming_stall_ns = 0;         // the program's stall while that window was armed (its wall time)
  uint64_t last_window_program_ns = 0;  // what the last completed window cost the program: both
  uint64_t cell_bytes = 0;              // 0 before the first split
  uint64_t marked_ranges = 0;           // cells marked MADV_DONTDUMP now
  uint64_t armed_cells = 0;             // cells armed when the open window opened
  uint64_t carried_cells = 0;      // huge-mapped cells of the open window whose latest observation stands in (huge_interval_us)
  uint64_t last_window_us = 0;     // length of the last completed window (opening to closing)
  uint64_t rate_window_us = 0;     // the rate probe's next short window (0: no probe)
  uint64_t rate_observations = 0;  // rate cells observed so far
};

class ReferencedSource : public monitor::AccessSource {
 public:
  // 4 KiB pages of [start, end) referenced over the latest observation of each of its cells,
  // counting cells observed in the last completed window or in one closed at most
  // `max_age_us` ago (a negative age: the last window only), pro rata where one cell covers
  // more than the range; -1 where no cell of it was observed then. Thread-safe; reads no file.
  virtual int64_t ReferencedPages(uint64_t start, uint64_t end, int64_t max_age_us) const = 0;
  virtual ReferencedState State() const = 0;
  // The rate cells observed since the last call (at most kMaxPendingRates, the oldest dropped).
  virtual std::vector<RateObservation> TakeRateObservations() = 0;
};

constexpr size_t kMaxPendingRates = 4096;

// nullptr with `why_not` set where the source cannot work (not Linux, no MADV_COLD).
std::unique_ptr<ReferencedSource> CreateReferencedSource(const ReferencedOptions& options, std::string* why_not);

}  // namespace thp::sources
