#include "platform/linux/memory/translation_probe.h"

#include <time.h>

#include <algorithm>
#include <cstring>

#include "platform/linux/memory/advice.h"
#include "platform/linux/memory/aligned_mapping.h"
#include "platform/linux/memory/residency.h"
#include "platform/linux/memory/target_process.h"
#include "platform/system_error.h"

namespace thp::platform {

namespace {

constexpr uint64_t kPage = 4096;
constexpr uint64_t kUnit = uint64_t{2} << 20;

double ClockMs(clockid_t clock) {
  timespec ts{};
  if (clock_gettime(clock, &ts) != 0) return -1;
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double WallMs() { return ClockMs(CLOCK_MONOTONIC); }

// Both buffers are unmapped however the probe ends.
struct Mapping {
  explicit Mapping(uint64_t bytes) : bytes(bytes), data(static_cast<char*>(MapAligned(bytes))) {}
  ~Mapping() { UnmapAligned(data, bytes); }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  uint64_t bytes;
  char* data;
};

// Advice that may be refused (a kernel without THP refuses MADV_HUGEPAGE): the probe then
// measures what it got, and the huge-unit count says so.
void TryAdvise(char* data, uint64_t bytes, Advice advice) {
  try {
    AdviseSelf(AddressRange{reinterpret_cast<uint64_t>(data), bytes}, advice);
  } catch (const SystemError&) {
  }
}

// Populates [from, to) and then writes one word per 4 KiB page. MADV_POPULATE_WRITE alone is
// not enough in this project's VMs: the hypervisor backs a page only at the first access from
// the CPU, which then costs 16-27 us (docs/measured-facts.md), and those first accesses would
// be timed as translation cost.
void Populate(char* data, uint64_t from, uint64_t to) {
  TryAdvise(data + from, to - from, Advice::kPopulateWrite);
  for (uint64_t offset = from; offset < to; offset += kPage) data[offset] = 1;
}

// The timed loop: random 32-bit read-modify-writes, a random page of `pages` (a power of two)
// and a random word in it, pages `1 << shift` bytes apart; xorshift32 addresses, so that
// accesses are independent of each other as in the tuner benchmark's loop. With shift 12 that
// is uniform over the dense buffer. Returns ns per access on `clock`.
double Slice(char* data, uint32_t pages, int shift, uint32_t accesses, uint32_t* state, clockid_t clock) {
  const uint32_t mask = pages - 1;
  uint32_t x = *state;
  const double start = ClockMs(clock);
  for (uint32_t i = 0; i < accesses; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    auto* word = reinterpret_cast<uint32_t*>(data + (static_cast<uint64_t>((x >> 10) & mask) << shift)) + (x & 1023);
    *word += 1;
  }
  asm volatile("" ::: "memory");  // the stores are the measurement: keep them
  const double end = ClockMs(clock);
  *state = x;
  return (end - start) * 1e6 / accesses;
}

uint64_t HugeUnits(const char* data, uint64_t bytes, bool* known) {
  *known = PagemapScanAvailable();
  if (!*known) return 0;
  uint64_t huge = 0;
  for (const auto& unit :
       ReadResidency(TargetProcess(0), AddressRange{reinterpret_cast<uint64_t>(data), bytes}, ResidencyMethod::kPagemapScan))
    if (unit.pmd_mapped == 1) huge += unit.units;
  return huge;
}

}  // namespace

TranslationProbeResult RunTranslationProbe(const TranslationProbeOptions& options) {
  TranslationProbeResult result;
  result.slice_accesses = options.slice_accesses;
  const double t0 = WallMs();
  Mapping small(options.max_bytes);                             // 4 KiB pages
  Mapping large(options.max_bytes);                             // 2 MiB pages
  Mapping sparse((options.max_bytes / kPage) << kSparseShift);  // 4 KiB pages, 256 KiB apart; only those are touched
  TryAdvise(small.data, small.bytes, Advice::kNoHugepage);
  TryAdvise(large.data, large.bytes, Advice::kHugepage);
  TryAdvise(sparse.data, sparse.bytes, Advice::kNoHugepage);

  // Grow the buffers size by size while the next doubling is likely to fit the setup budget:
  // each step populates as much as all earlier ones together, so it costs about twice the last.
  const double setup_budget = options.budget_ms * options.setup_share;
  uint64_t populated = 0;
  double last_step = 0;
  for (uint64_t size = options.min_bytes; size <= options.max_bytes; size *= 2) {
    if (populated > 0 && WallMs() - t0 + 2 * last_step > setup_budget) break;
    const double step = WallMs();
    Populate(small.data, populated, size);
    Populate(large.data, populated, size);
    for (uint64_t page = populated / kPage; page < size / kPage; ++page) sparse.data[page << kSparseShift] = 1;
    last_step = WallMs() - step;
    populated = size;
    result.sizes.push_back(TranslationProbeSize{size, {}, {}, {}});
  }
  result.units = populated / kUnit;
  bool known = false;
  result.huge_units = HugeUnits(large.data, populated, &known);
  if (!known) result.huge_units = result.units;  // cannot tell here: the fit decides by the times alone
  result.setup_ms = WallMs() - t0;

  // Timed on the thread's CPU clock: on a loaded machine the probe loses the CPU to other
  // tasks, and wall time would charge that to whichever slice was running.
  clockid_t clock = CLOCK_THREAD_CPUTIME_ID;
  if (ClockMs(clock) < 0) {
    clock = CLOCK_MONOTONIC;
    result.thread_cpu_clock = false;
  }
  uint32_t state = 0x9e3779b9u;
  const uint32_t n = options.slice_accesses;
  // One slice of each layout at one size; `first` rotates which goes first, so that a drift
  // within a round favours none of them.
  auto round_at = [&](TranslationProbeSize& s, int first) {
    const auto pages = static_cast<uint32_t>(s.bytes / kPage);
    double ns[3] = {0, 0, 0};
    for (int k = 0; k < 3; ++k) {
      const int layout = (first + k) % 3;
      if (layout == 0) ns[0] = Slice(small.data, pages, 12, n, &state, clock);
      if (layout == 1) ns[1] = Slice(large.data, pages, 12, n, &state, clock);
      if (layout == 2) ns[2] = Slice(sparse.data, pages, kSparseShift, n, &state, clock);
    }
    s.ns_4k.push_back(ns[0]);
    s.ns_2m.push_back(ns[1]);
    s.ns_sparse.push_back(ns[2]);
  };
  for (auto& s : result.sizes) {  // warm the TLBs and caches at every size once, unrecorded
    round_at(s, 0);
    s.ns_4k.clear();
    s.ns_2m.clear();
    s.ns_sparse.clear();
  }
  const double m0 = WallMs();
  const double measure_budget = std::max(options.budget_ms - (m0 - t0), options.budget_ms * (1 - options.setup_share));
  // At least 3 rounds so that a spread exists.
  constexpr int kMaxRounds = 100000;
  for (int round = 0; round < kMaxRounds && (round < 3 || WallMs() - m0 < measure_budget); ++round)
    for (auto& s : result.sizes) round_at(s, round % 3);
  result.measure_ms = WallMs() - m0;
  return result;
}

}  // namespace thp::platform
