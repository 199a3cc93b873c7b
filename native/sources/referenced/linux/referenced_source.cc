// Linux implementation of the referenced source (sources/referenced/referenced_source.h).
//
// A window opens at a sample the budgets allow: read /proc/self/smaps once (the Referenced
// bytes of the cells armed at the previous opening close that window), then arm up to
// kCellsPerRegion cells per region with MADV_COLD (madvise(2): clears the Accessed bits of the
// cells' pages and moves them to the inactive LRU list). Only armed cells change, so the
// program pays at most one Accessed-bit update per resident page of those cells per window,
// however large the process. A cell wholly mapped by huge pages is armed only every
// ReferencedOptions::huge_interval_us; in between its latest observation stands in for it.
// The smaps read walks every page table of the process,
// so the sampler's own cost grows with its 4 KiB-mapped memory (PMD-mapped huge pages cost
// one entry per 2 MiB); the window's CPU time sets the pause to the next one
// (ReferencedOptions::cpu_budget_bp). With a rate window (ReferencedOptions::rate_window_us)
// the opening first arms one mostly-used cell, sleeps through the short window and dates that
// cell's smaps record, which tells how often its pages are used, not only whether.
#include "sources/referenced/referenced_source.h"

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "platform/linux/procfs/maps.h"
#include "platform/linux/procfs/proc_file.h"
#include "platform/steady_clock.h"
#include "platform/system_error.h"
#include "platform/thread_cpu.h"
#include "sources/referenced/cells.h"

namespace thp::sources {

namespace {

constexpr uint64_t kPage = 4096;
// Cells armed per region and window, at most: one sampled cell judges a large region by chance
// (DAMON averages one page per region over the many samples of an aggregation; a window holds
// far fewer), several judge it by their mean. With 4 the accuracy test met its targets in 7 of
// 8 seeds, with 8 in 8 of 8 (docs/sources.md).
constexpr uint32_t kCellsPerRegion = 8;
// The longest window the budget is spent over: arming stops before the armed cells' bound
// exceeds this much of the program's budget (2% of 10 s: 0.2 s), so no one window can cost
// the program more, whatever the regions.
constexpr uint64_t kMaxWindowUs = 10'000'000;
// A rate cell needs this many resident pages: the share of them used in its short window is
// then known to a few per cent.
constexpr uint64_t kMinRatePages = 64;

uint64_t NowUs() { return platform::SteadyNowNs() / 1000; }

// One VMA of a smaps read: bounds, whether it is anonymous private writable memory, whether
// VM_DONTDUMP is set ("dd"), and its Rss, Referenced and AnonHugePages bytes.
struct SmapsVma {
  size_t offset = 0;  // of its header line in the smaps text
  uint64_t start = 0;
  uint64_t end = 0;
  bool anonymous_rw = false;
  bool dont_dump = false;
  uint64_t rss = 0;
  uint64_t referenced = 0;
  uint64_t anon_huge = 0;
};

uint64_t KbValue(std::string_view rest) {
  uint64_t v = 0;
  size_t i = 0;
  while (i < rest.size() && rest[i] == ' ') i++;
  for (; i < rest.size() && rest[i] >= '0' && rest[i] <= '9'; i++) v = v * 10 + static_cast<uint64_t>(rest[i] - '0');
  return v * 1024;
}

// The fields this source needs from a whole smaps text, VMA by VMA (headers are parsed by the
// procfs reader; only Rss, Referenced, AnonHugePages and VmFlags among the key lines).
std::vector<SmapsVma> ParseSmaps(std::string_view text) {
  std::vector<SmapsVma> out;
  const char* const begin = text.data();
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.rfind("Rss:", 0) == 0) {
      if (!out.empty()) out.back().rss = KbValue(line.substr(4));
    } else if (line.rfind("Referenced:", 0) == 0) {
      if (!out.empty()) out.back().referenced = KbValue(line.substr(11));
    } else if (line.rfind("AnonHugePages:", 0) == 0) {
      if (!out.empty()) out.back().anon_huge = KbValue(line.substr(14));
    } else if (line.rfind("VmFlags:", 0) == 0) {
      if (!out.empty()) out.back().dont_dump = line.find(" dd") != std::string_view::npos;
    } else if (!line.empty() && line.find(':') > line.find('-')) {
      platform::procfs::Vma v;
      if (!platform::procfs::ParseVmaHeader(line, v)) continue;
      const bool anon = v.inode == 0 && (v.pathname.empty() || v.pathname.rfind("[anon:", 0) == 0 || v.pathname == "[heap]");
      SmapsVma vma;
      vma.offset = static_cast<size_t>(line.data() - begin);
      vma.start = v.start;
      vma.end = v.end;
      vma.anonymous_rw = anon && v.perms.size() >= 4 && v.perms[0] == 'r' && v.perms[1] == 'w' && v.perms[3] == 'p';
      out.push_back(vma);
    }
  }
  return out;
}

uint64_t ReadMaxMapCount() {
  std::string text;
  if (platform::procfs::TryReadTextFile("/proc/sys/vm/max_map_count", text) != 0) return 65530;  // the kernel's default
  return std::strtoull(text.c_str(), nullptr, 10);
}

bool Contains(const std::vector<monitor::AddressRange>& sorted, uint64_t start, uint64_t end) {
  auto it = std::upper_bound(sorted.begin(), sorted.end(), start,
                             [](uint64_t a, const monitor::AddressRange& r) { return a < r.start; });
  return it != sorted.begin() && end <= (it - 1)->end;
}

struct RangeLess {
  bool operator()(const monitor::AddressRange& a, const monitor::AddressRange& b) const {
    return a.start != b.start ? a.start < b.start : a.end < b.end;
  }
};

// Pages of the source's own (never the program's) memory on which it measures what setting
// an Accessed bit again costs after MADV_COLD cleared it: one read per page in a scattered
// order right after the clear (each sets the bit, as the program's first access to an armed
// page does), minus the same reads again, per page. The smallest of the last few counts (a
// preempted read only inflates it). The pages lie 2 MiB apart, one per page table, as a
// program's scattered reads over armed cells meet them: in a VM here, 64 neighbouring pages
// measured 2.7-4.1 us per page on a quiet machine, pages 2 MiB apart 4.0-5.1 us, and a random
// reader of 1 GiB lost 5.6-7.4 us per page after all its cells were armed: the spread shape
// comes closer, neither reaches it
// (bench/results/referenced-edge-and-program-cost-2026-12-05.md). The spread costs address
// space (64 MiB, reserved, never committed beyond the probe pages), not memory.
class AccessBitProbe {
 public:
  static constexpr size_t kPages = 32;
  static constexpr size_t kStride = kCellUnit;
  AccessBitProbe() {
    void* p = mmap(nullptr, kPages * kStride, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return;
    madvise(p, kPages * kStride, MADV_NOHUGEPAGE);  // 4 KiB pages: what an armed 4 KiB page costs
    pages_ = static_cast<volatile char*>(p);
    for (size_t i = 0; i < kPages; i++) pages_[i * kStride] = 1;
  }
  ~AccessBitProbe() {
    if (pages_ != nullptr) munmap(const_cast<char*>(pages_), kPages * kStride);
  }
  AccessBitProbe(const AccessBitProbe&) = delete;
  AccessBitProbe& operator=(const AccessBitProbe&) = delete;

  // Returns ns per page (0 if the probe has no memory).
  uint64_t Measure() {
    if (pages_ == nullptr || madvise(const_cast<char*>(pages_), kPages * kStride, MADV_COLD) != 0) return 0;
    const auto pass = [this] {
      const auto t0 = std::chrono::steady_clock::now();
      unsigned sum = 0;
      // 13 is coprime with 32: every page once, never two neighbours in a row.
      for (size_t i = 0; i < kPages; i++) sum += static_cast<unsigned char>(pages_[(i * 13 % kPages) * kStride]);
      sink_ += sum;
      return static_cast<uint64_t>(
          std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0).count());
    };
    const uint64_t cleared = pass();
    const uint64_t set = pass();
    const uint64_t per_page = cleared > set ? (cleared - set) / kPages : 0;
    recent_[next_++ % recent_.size()] = per_page;
    uint64_t best = per_page;
    for (size_t i = 0; i < std::min<size_t>(next_, recent_.size()); i++) best = std::min(best, recent_[i]);
    return best;
  }

 private:
  volatile char* pages_ = nullptr;
  unsigned sink_ = 0;
  std::array<uint64_t, 4> recent_{};
  size_t next_ = 0;
};

class LinuxReferencedSource final : public ReferencedSource {
 public:
  explicit LinuxReferencedSource(const ReferencedOptions& options) : options_(options) {}
  ~LinuxReferencedSource() override { Release(); }

  monitor::AccessSignal signal() const override { return monitor::AccessSignal::kAccess; }

  std::vector<monitor::AddressRange> Mappings() override {
    std::vector<monitor::AddressRange> out;
    for (const auto& v : platform::procfs::ReadMaps(0))
      if (v.pathname != "[vsyscall]") out.push_back({v.start, v.end});
    return out;
  }

  // Splits the monitored anonymous memory into cells (see PlanCells); the first window opens
  // at the next sample.
  void TargetsChanged(const std::vector<monitor::AddressRange>& monitored) override {
    // Read outside the lock, as in PrepareAccessChecks.
    const auto vmas = ParseSmaps(platform::procfs::ReadTextFile("/proc/self/smaps"));
    // Spans: contiguous anonymous writable memory, seen through the splits this source made
    // (a VMA marked dd by the program itself is left alone: marking around it would change
    // what its core dumps hold).
    std::vector<monitor::AddressRange> spans;
    for (const auto& v : vmas) {
      if (!v.anonymous_rw || (v.dont_dump && marked_.count({v.start, v.end}) == 0)) continue;
      for (const auto& m : monitored) {
        const uint64_t s = std::max(v.start, m.start), e = std::min(v.end, m.end);
        if (s >= e) continue;
        if (!spans.empty() && spans.back().end == s) spans.back().end = e;
        else spans.push_back({s, e});
      }
    }
    const uint64_t max_map = ReadMaxMapCount();
    // VMAs of the process without this source's splits (each marked cell made up to two).
    const uint64_t own = vmas.size() > marked_.size() * 2 ? vmas.size() - marked_.size() * 2 : 0;
    const uint64_t headroom = max_map > own ? max_map - own : 0;
    const CellPlan plan = PlanCells(spans, headroom / 2);  // half the headroom stays the program's
    // The advice runs outside the lock (thousands of calls on a large process); marked_ has no
    // other writer than this thread.
    std::set<monitor::AddressRange, RangeLess> next(plan.marked.begin(), plan.marked.end());
    for (const auto& r : marked_)
      if (next.count(r) == 0) madvise(reinterpret_cast<void*>(r.start), r.size(), MADV_DODUMP);  // fails harmlessly once unmapped
    std::set<monitor::AddressRange, RangeLess> now;
    for (const auto& r : next)
      if (marked_.count(r) > 0 || madvise(reinterpret_cast<void*>(r.start), r.size(), MADV_DONTDUMP) == 0) now.insert(r);
    std::lock_guard<std::mutex> lock(mutex_);
    monitored_ = monitored;
    marked_.swap(now);
    cell_bytes_ = plan.cell_bytes;
    active_ = true;
    // An ops update keeps the open window (an update interval shorter than a window would
    // otherwise never let one complete); cells it split are read back piece by piece.
  }

  void PrepareAccessCheck(uint64_t addr) override { PrepareAccessChecks({addr}); }

  void PrepareAccessChecks(const std::vector<uint64_t>& addrs) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!active_ || NowUs() < next_cycle_us_) return;
    }
    // The smaps read and the arming run outside the lock (each takes up to hundreds of ms on a
    // large process): state() and probe() on the JS thread never wait for them. Only this
    // thread changes the window and the cells.
    const uint64_t cpu0 = platform::ThreadCpuTimeNs();
    const std::optional<RateArming> rate = ArmRateCell();
    std::vector<platform::procfs::ReadMark> marks;
    const auto vmas = ParseSmaps(rate ? platform::procfs::ReadTextFileTimed("/proc/self/smaps", marks)
                                      : platform::procfs::ReadTextFile("/proc/self/smaps"));
    const std::optional<RateObservation> rate_seen = rate ? ObserveRateCell(*rate, vmas, marks) : std::nullopt;
    uint64_t program_ns = 0;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      program_ns = CloseWindow(vmas, rate ? rate->cell.start : 0);
      if (rate) program_ns += rate->wall_ns;
      if (rate_seen) {
        program_ns += rate_seen->referenced_bytes / kPage * rate_seen->access_bit_ns;
        if (pending_rates_.size() >= kMaxPendingRates) pending_rates_.erase(pending_rates_.begin());
        pending_rates_.push_back(*rate_seen);
        state_.rate_observations++;
      }
    }
    Arming opened = Arm(vmas, addrs);
    rate_candidates_ = RateCandidates(vmas);
    const uint64_t cost = platform::ThreadCpuTimeNs() - cpu0;
    std::lock_guard<std::mutex> lock(mutex_);
    opened_us_ = NowUs();
    armed_ = std::move(opened.cells);
    carried_ = std::move(opened.carried);
    opening_access_bit_ns_ = opened.access_bit_ns;
    opening_stall_ns_ = opened.wall_ns;
    if (opened.pages > 0) arming_ns_per_page_ = opened.wall_ns / opened.pages;
    state_.last_cycle_cpu_ns = cost;
    state_.total_cycle_cpu_ns += cost;
    state_.interval_us =
        NextIntervalUs(cost, program_ns, options_.min_interval_us, options_.cpu_budget_bp, options_.program_budget_bp);
    next_cycle_us_ = NowUs() + state_.interval_us;
  }

  bool WantsSampledRegions() const override { return true; }

  void SetSampledRegions(const std::vector<monitor::AddressRange>& regions) override {
    std::lock_guard<std::mutex> lock(mutex_);
    regions_ = regions;
    sorted_regions_ = regions;
    // One target's regions are in address order already; several targets follow one another in any order.
    if (!std::is_sorted(sorted_regions_.begin(), sorted_regions_.end(), RangeLess()))
      std::sort(sorted_regions_.begin(), sorted_regions_.end(), RangeLess());
  }

  monitor::AccessCheck CheckAccess(uint64_t addr) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!Contains(cells_, addr, addr + 1)) return {false, monitor::kMinRegionSize};
    auto it = std::upper_bound(sorted_regions_.begin(), sorted_regions_.end(), addr,
                               [](uint64_t a, const monitor::AddressRange& r) { return a < r.start; });
    const monitor::AddressRange region =
        it != sorted_regions_.begin() && addr < (it - 1)->end ? *(it - 1) : monitor::AddressRange{addr, addr + 1};
    return {SampleAccessed(window_, armed_regions_, region, addr), monitor::kMinRegionSize};
  }

  // Marks every cell MADV_DODUMP again (its VMA merges back with its neighbours). Accessed
  // bits of armed cells stay clear until the pages are used.
  void Release() override {
    std::set<monitor::AddressRange, RangeLess> marked;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      marked.swap(marked_);
      armed_.clear();
      carried_.clear();
      cells_.clear();
      window_.clear();
      observed_.clear();
      armed_regions_.clear();
      regions_.clear();
      sorted_regions_.clear();
      rate_candidates_.clear();
      opened_us_ = 0;
      cell_bytes_ = 0;
      next_cycle_us_ = 0;
      active_ = false;
    }
    for (const auto& r : marked) madvise(reinterpret_cast<void*>(r.start), r.size(), MADV_DODUMP);
  }

  int64_t ReferencedPages(uint64_t start, uint64_t end, int64_t max_age_us) const override {
    std::lock_guard<std::mutex> lock(mutex_);
    const uint64_t now = NowUs(), age = static_cast<uint64_t>(max_age_us);
    const uint64_t since = max_age_us < 0 ? last_closed_us_ : std::min(last_closed_us_, age < now ? now - age : 0);
    return ReferencedPagesIn(observed_, start, end, since);
  }

  ReferencedState State() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    ReferencedState s = state_;
    s.cell_bytes = cell_bytes_;
    s.marked_ranges = marked_.size();
    s.armed_cells = armed_.size();
    s.carried_cells = carried_.size();
    s.rate_window_us = rate_window_us_;
    return s;
  }

  std::vector<RateObservation> TakeRateObservations() override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<RateObservation> out;
    out.swap(pending_rates_);
    return out;
  }

 private:
  struct ArmedCell {
    monitor::AddressRange cell;
    monitor::AddressRange region;  // the region whose sample chose it
  };

  // Closes the open window: what its armed cells referenced since they were armed, from the
  // smaps read `vmas`, but for the cell starting at `rate_cell` (a rate window cut its count
  // short; its latest observation stays). Returns what the window cost the program (0 if none
  // was open).
  uint64_t CloseWindow(const std::vector<SmapsVma>& vmas, uint64_t rate_cell) {
    cells_.clear();
    for (const auto& v : vmas)
      if (v.anonymous_rw && Contains(monitored_, v.start, v.start + 1)) cells_.push_back({v.start, v.end});
    if (armed_.empty() && carried_.empty()) return 0;
    std::vector<WindowVma> observed_now;
    uint64_t pages = 0;  // armed pages used since they were armed: each set its Accessed bit once
    for (const auto& v : vmas) {
      if (!v.anonymous_rw) continue;
      auto cell = std::upper_bound(armed_.begin(), armed_.end(), v.start,
                                   [](uint64_t a, const ArmedCell& c) { return a < c.cell.start; });
      if (cell == armed_.begin() || v.end > (cell - 1)->cell.end || v.start == rate_cell) continue;
      observed_now.push_back({v.start, v.end, v.referenced, (cell - 1)->region});
      const uint64_t huge = std::min(v.anon_huge, v.referenced);
      pages += (v.referenced - huge) / kPage + huge / kCellUnit;
    }
    last_closed_us_ = NowUs();
    state_.last_window_us = opened_us_ > 0 && last_closed_us_ > opened_us_ ? last_closed_us_ - opened_us_ : 0;
    // Only what this window observed becomes a cell's latest observation: a carried cell keeps
    // the age of the window that last armed it, so it is armed again once that is too old.
    RecordObservations(&observed_, observed_now, last_closed_us_);
    window_ = std::move(observed_now);
    window_.insert(window_.end(), carried_.begin(), carried_.end());
    std::sort(window_.begin(), window_.end(), [](const WindowVma& a, const WindowVma& b) { return a.start < b.start; });
    armed_regions_ = ByArmedRegion(window_);
    state_.cycles++;
    state_.access_bit_ns = opening_access_bit_ns_;
    state_.arming_stall_ns = opening_stall_ns_;
    state_.last_window_program_ns = pages * opening_access_bit_ns_ + opening_stall_ns_;
    return state_.last_window_program_ns;
  }

  // The referenced bytes of cell `v`'s latest observation if that stands in for arming the
  // cell again: the cell is wholly mapped by huge pages (`huge` of its bytes) and was observed,
  // as the same cell, less than huge_interval_us before `now_us`. Reads observed_, which only
  // this thread writes.
  std::optional<uint64_t> CarriedObservation(const SmapsVma& v, uint64_t huge, uint64_t now_us) const {
    if (options_.huge_interval_us == 0 || huge < v.end - v.start) return std::nullopt;
    auto it = observed_.find(v.start);
    if (it == observed_.end() || it->second.end != v.end || it->second.closed_us + options_.huge_interval_us <= now_us)
      return std::nullopt;
    return it->second.referenced;
  }

  // Whether `v` is a cell: a monitored anonymous writable VMA (cells_ holds exactly those) no
  // larger than a cell, not a mapping left whole.
  bool IsCell(const SmapsVma& v) const {
    return v.end - v.start <= std::max(cell_bytes_, kCellUnit) && Contains(cells_, v.start, v.end);
  }

  // The cells a window opens on, and what opening it took.
  struct Arming {
    std::vector<ArmedCell> cells;    // by address
    std::vector<WindowVma> carried;  // huge-mapped cells left alone, with their latest observation
    uint64_t pages = 0;              // their resident 4 KiB pages and PMD-mapped 2 MiB pages
    uint64_t access_bit_ns = 0;      // the probe's Accessed-bit cost per page
    uint64_t wall_ns = 0;            // the probe and the advice, wall time
  };

  // Arms up to kCellsPerRegion cells per region with MADV_COLD: the cell of the region's sampled
  // address, then the cells of points spread evenly from it (ArmingAddress), one round over all
  // regions at a time, while the bound on what the window can cost the program stays within
  // kMaxWindowUs of its budget: per page of the armed cells (resident 4 KiB pages, PMD-mapped
  // 2 MiB pages) one Accessed-bit update, plus the program's stall while the advice runs (its
  // threads wait for the TLB flushes; measured here as the whole arming time,
  // docs/sources.md), estimated per page from the last arming. A VMA larger than a cell (a
  // mapping left whole) is not armed; a cell wholly on huge pages observed lately is carried
  // instead (CarriedObservation). Runs without the lock: reads only what this thread writes.
  Arming Arm(const std::vector<SmapsVma>& vmas, const std::vector<uint64_t>& addrs) {
    const auto t0 = std::chrono::steady_clock::now();
    Arming out;
    out.access_bit_ns = probe_.Measure();
    const uint64_t page_ns = out.access_bit_ns + arming_ns_per_page_;
    const uint64_t max_pages = page_ns == 0 ? UINT64_MAX : kMaxWindowUs * 1000 / 10000 * options_.program_budget_bp / page_ns;
    const uint64_t now_us = NowUs();
    std::set<uint64_t> chosen;
    for (uint32_t round = 0; round < kCellsPerRegion && out.pages < max_pages; round++) {
      for (size_t i = 0; i < addrs.size(); i++) {
        const monitor::AddressRange region = i < regions_.size() ? regions_[i] : monitor::AddressRange{addrs[i], addrs[i] + 1};
        const uint64_t addr = ArmingAddress(region, addrs[i], round, kCellsPerRegion);
        auto v = std::upper_bound(vmas.begin(), vmas.end(), addr, [](uint64_t a, const SmapsVma& x) { return a < x.start; });
        if (v == vmas.begin() || addr >= (--v)->end) continue;
        if (!IsCell(*v) || chosen.count(v->start) > 0) continue;
        const uint64_t huge = std::min(v->anon_huge, v->rss);
        if (const auto referenced = CarriedObservation(*v, huge, now_us)) {
          chosen.insert(v->start);
          out.carried.push_back({v->start, v->end, *referenced, region});
          continue;
        }
        const uint64_t cell_pages = (v->rss - huge) / kPage + huge / kCellUnit;
        if (out.pages + cell_pages > max_pages) continue;
        if (madvise(reinterpret_cast<void*>(v->start), v->end - v->start, MADV_COLD) != 0) continue;  // e.g. mlocked: EINVAL
        chosen.insert(v->start);
        out.cells.push_back({{v->start, v->end}, region});
        out.pages += cell_pages;
      }
    }
    std::sort(out.cells.begin(), out.cells.end(),
              [](const ArmedCell& a, const ArmedCell& b) { return a.cell.start < b.cell.start; });
    out.wall_ns = static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0).count());
    return out;
  }

  // A rate cell armed for its short window.
  struct RateArming {
    monitor::AddressRange cell;
    uint64_t armed_ns = 0;  // the middle of its MADV_COLD (steady clock)
    uint64_t wall_ns = 0;   // what the MADV_COLD took: the program waited for its TLB flush
  };

  // Arms the next rate cell and sleeps through the rate window; nothing when the probe is off
  // or no cell qualifies. Round robin over rate_candidates_ by address, preferring a cell the
  // open window did not arm: arming one it did cuts that cell's count short, and the window
  // then closes without it (a small monitored set has every cell armed in every window).
  std::optional<RateArming> ArmRateCell() {
    if (rate_window_us_ == 0 || rate_candidates_.empty()) return std::nullopt;
    const auto armed = [this](uint64_t start) {
      auto a =
          std::lower_bound(armed_.begin(), armed_.end(), start, [](const ArmedCell& c, uint64_t x) { return c.cell.start < x; });
      return a != armed_.end() && a->cell.start == start;
    };
    const size_t n = rate_candidates_.size();
    const size_t first =
        static_cast<size_t>(std::upper_bound(rate_candidates_.begin(), rate_candidates_.end(), rate_cursor_,
                                             [](uint64_t a, const monitor::AddressRange& r) { return a < r.start; }) -
                            rate_candidates_.begin());
    const monitor::AddressRange* next = &rate_candidates_[first % n];
    for (size_t i = 0; i < n; i++) {
      const auto& c = rate_candidates_[(first + i) % n];
      if (!armed(c.start)) {
        next = &c;
        break;
      }
    }
    rate_cursor_ = next->start;
    const uint64_t t0 = platform::SteadyNowNs();
    if (madvise(reinterpret_cast<void*>(next->start), next->size(), MADV_COLD) != 0) return std::nullopt;
    const uint64_t t1 = platform::SteadyNowNs();
    std::this_thread::sleep_for(std::chrono::microseconds(rate_window_us_));
    return RateArming{*next, t0 + (t1 - t0) / 2, t1 - t0};
  }

  // The rate cell's record in the smaps read (its VMA unchanged and still on 4 KiB pages), dated
  // by the read(2) call that returned it; the next rate window adapts to what it saw.
  std::optional<RateObservation> ObserveRateCell(const RateArming& rate, const std::vector<SmapsVma>& vmas,
                                                 const std::vector<platform::procfs::ReadMark>& marks) {
    auto v =
        std::lower_bound(vmas.begin(), vmas.end(), rate.cell.start, [](const SmapsVma& x, uint64_t a) { return x.start < a; });
    if (v == vmas.end() || v->start != rate.cell.start || v->end != rate.cell.end || v->anon_huge > 0 || v->rss == 0)
      return std::nullopt;
    const uint64_t seen_ns = platform::procfs::TimeOfOffset(marks, v->offset);
    if (seen_ns <= rate.armed_ns) return std::nullopt;
    rate_window_us_ = NextRateWindowUs(rate_window_us_, v->rss, v->referenced);
    return RateObservation{
        v->start, v->end, v->rss, std::min(v->referenced, v->rss), seen_ns - rate.armed_ns, opening_access_bit_ns_};
  }

  // Cells a rate window may arm next: monitored 4 KiB-mapped cells whose latest observation
  // found at least half their resident pages used (a window of about a second saturates on
  // them), with enough resident pages to count. By address.
  std::vector<monitor::AddressRange> RateCandidates(const std::vector<SmapsVma>& vmas) const {
    std::vector<monitor::AddressRange> out;
    if (rate_window_us_ == 0) return out;
    for (const auto& v : vmas) {
      if (!IsCell(v) || v.anon_huge > 0 || v.rss < kMinRatePages * kPage) continue;
      auto seen = observed_.find(v.start);
      if (seen == observed_.end() || seen->second.end != v.end || seen->second.referenced * 2 < v.rss) continue;
      out.push_back({v.start, v.end});
    }
    return out;
  }

  const ReferencedOptions options_;
  AccessBitProbe probe_;
  // The fields below change only on the thread that samples (or on the JS thread while none
  // runs), so that thread reads them without the lock and makes its system calls outside it;
  // it takes the lock to change what state(), ReferencedPages() and CheckAccess() read.
  mutable std::mutex mutex_;
  bool active_ = false;  // between TargetsChanged and Release
  std::vector<monitor::AddressRange> monitored_;
  std::set<monitor::AddressRange, RangeLess> marked_;
  uint64_t cell_bytes_ = 0;
  std::vector<monitor::AddressRange> cells_;           // monitored anonymous writable VMAs, as last read
  std::vector<ArmedCell> armed_;                       // cells cleared when the open window opened, by address
  std::vector<WindowVma> carried_;                     // huge-mapped cells of the open window left alone (CarriedObservation)
  uint64_t opening_access_bit_ns_ = 0;                 // measured when the open window opened
  uint64_t opening_stall_ns_ = 0;                      // what opening it took (Arming::wall_ns)
  uint64_t arming_ns_per_page_ = 0;                    // the last arming's wall time per page armed
  std::vector<WindowVma> window_;                      // armed cells of the last completed window
  CellObservations observed_;                          // the latest window of every cell armed so far
  uint64_t last_closed_us_ = 0;                        // when the last completed window closed
  std::vector<ArmedRegion> armed_regions_;             // the same per region armed for
  std::vector<monitor::AddressRange> regions_;         // the current sample's regions, in the core's order
  std::vector<monitor::AddressRange> sorted_regions_;  // the same, by address
  uint64_t next_cycle_us_ = 0;
  uint64_t opened_us_ = 0;                              // when the open window opened
  uint64_t rate_window_us_ = options_.rate_window_us;   // the next rate window (adapts)
  std::vector<monitor::AddressRange> rate_candidates_;  // RateCandidates at the last opening
  uint64_t rate_cursor_ = 0;                            // the last rate cell's start
  std::vector<RateObservation> pending_rates_;          // observed, not yet taken
  ReferencedState state_;
};

// Whether MADV_COLD (Linux 5.4) works on anonymous memory here.
bool ColdAdviceWorks(std::string* why_not) {
  void* p = mmap(nullptr, kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    *why_not = std::string("mmap of one page failed: ") + platform::ErrnoText(errno);
    return false;
  }
  static_cast<volatile char*>(p)[0] = 1;
  const bool ok = madvise(p, kPage, MADV_COLD) == 0;
  if (!ok) *why_not = std::string("madvise(MADV_COLD) failed (Linux 5.4 or later needed): ") + platform::ErrnoText(errno);
  munmap(p, kPage);
  return ok;
}

}  // namespace

std::unique_ptr<ReferencedSource> CreateReferencedSource(const ReferencedOptions& options, std::string* why_not) {
  std::string text;
  if (platform::procfs::TryReadTextFile("/proc/self/smaps_rollup", text) != 0 || text.find("Referenced:") == std::string::npos) {
    *why_not = "/proc/self/smaps does not report Referenced bytes";
    return nullptr;
  }
  if (!ColdAdviceWorks(why_not)) return nullptr;
  return std::make_unique<LinuxReferencedSource>(options);
}

}  // namespace thp::sources
