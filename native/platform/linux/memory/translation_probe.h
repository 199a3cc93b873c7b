// The advisor's calibration probe: how much time address translation costs on this machine,
// measured as the same random-access loop over buffers of this process's own (never the
// memory of the process being advised) in three layouts of the same pages: dense on 4 KiB
// pages, dense on 2 MiB pages, and sparse on 4 KiB pages (one page every 256 KiB: each
// page-table page maps 8 of them, so walks need 64 times as many page-table pages, as a large
// hot set's do, and the pages fall into a 64th of a set-associative TLB's sets, so they miss
// it as a large hot set's pages do, while the data stays that of a small buffer). The advisor
// fits the simulator's translation cycles to the differences (lib/advisor/calibration.ts).
#pragma once
#include <cstdint>
#include <vector>

namespace thp::platform {

struct TranslationProbeOptions {
  // Buffer sizes (bytes of pages in each layout): powers of two from min_bytes, doubled while
  // the setup budget lasts, at most max_bytes.
  uint64_t min_bytes = uint64_t{8} << 20;
  uint64_t max_bytes = uint64_t{256} << 20;
  // Wall-clock budget of the whole probe; setup (mapping and first touches) may take setup_share of it.
  double budget_ms = 500;
  double setup_share = 0.65;
  // Accesses per timed slice (a slice is one 4 KiB or one 2 MiB run at one size).
  uint32_t slice_accesses = 16384;
};

struct TranslationProbeSize {
  uint64_t bytes = 0;
  // CPU ns per access of each round's slice, dense on 4 KiB pages, dense on 2 MiB pages, and
  // sparse on 4 KiB pages (same round, adjacent slices).
  std::vector<double> ns_4k;
  std::vector<double> ns_2m;
  std::vector<double> ns_sparse;
};

// Bytes between the sparse layout's pages (log2): 256 KiB.
constexpr int kSparseShift = 18;

struct TranslationProbeResult {
  std::vector<TranslationProbeSize> sizes;
  double setup_ms = 0;
  double measure_ms = 0;
  // 2 MiB units of the huge buffer that one PMD maps, of how many (THP may be off or fail).
  uint64_t huge_units = 0;
  uint64_t units = 0;
  uint32_t slice_accesses = 0;
  // Whether slices were timed on the thread's CPU clock (false: the monotonic clock).
  bool thread_cpu_clock = true;
};

// Maps two private buffers of its own, measures, and unmaps them. Throws SystemError when the
// mapping is refused.
TranslationProbeResult RunTranslationProbe(const TranslationProbeOptions& options);

}  // namespace thp::platform
