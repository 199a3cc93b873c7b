// Linux implementation of the referenced source (sources/referenced/referenced_source.h).
//
// Per cycle: read /proc/self/smaps (Referenced bytes per VMA since the last clear), keep the
// VMAs inside monitored ranges as the new window, write "2" to /proc/self/clear_refs (anonymous
// pages only: file pages keep the Accessed bits the page cache's reclaim relies on). Cost
// grows with the 4 KiB-mapped memory of the whole process (both files walk every page table);
// PMD-mapped huge pages cost one entry per 2 MiB. The cycle's own CPU time sets the pause to
// the next one (ReferencedOptions::cpu_budget_bp).
#include "sources/referenced/referenced_source.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "platform/linux/procfs/maps.h"
#include "platform/linux/procfs/proc_file.h"
#include "platform/linux/unique_fd.h"
#include "platform/system_error.h"
#include "platform/thread_cpu.h"
#include "sources/referenced/cells.h"

namespace thp::sources {

namespace {

uint64_t NowUs() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch()).count());
}

// One VMA of a smaps read: bounds, whether it is anonymous private writable memory, whether
// VM_DONTDUMP is set ("dd"), and its Referenced bytes.
struct SmapsVma {
  uint64_t start = 0;
  uint64_t end = 0;
  bool anonymous_rw = false;
  bool inode_anonymous = false;  // no file behind it: clear_refs "2" clears its bits
  bool dont_dump = false;
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
// procfs reader; only Referenced and VmFlags are looked at among the key lines).
std::vector<SmapsVma> ParseSmapsReferenced(std::string_view text) {
  std::vector<SmapsVma> out;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.rfind("Referenced:", 0) == 0) {
      if (!out.empty()) out.back().referenced = KbValue(line.substr(11));
    } else if (line.rfind("AnonHugePages:", 0) == 0) {
      if (!out.empty()) out.back().anon_huge = KbValue(line.substr(14));
    } else if (line.rfind("VmFlags:", 0) == 0) {
      if (!out.empty()) out.back().dont_dump = line.find(" dd") != std::string_view::npos;
    } else if (!line.empty() && line.find(':') > line.find('-')) {
      platform::procfs::Vma v;
      if (!platform::procfs::ParseVmaHeader(line, v)) continue;
      const bool anon = v.inode == 0 && (v.pathname.empty() || v.pathname.rfind("[anon:", 0) == 0 || v.pathname == "[heap]");
      out.push_back({v.start, v.end, anon && v.perms.size() >= 4 && v.perms[0] == 'r' && v.perms[1] == 'w' && v.perms[3] == 'p',
                     v.inode == 0, false, 0, 0});
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
// an Accessed bit again costs after a clear: one read per page right after the clear (each
// sets the bit), minus the same reads again (bits set), per page. Best of a few rounds would
// need more clears; one per window, the smallest of the last ones counts (a preempted read
// only inflates it).
class AccessBitProbe {
 public:
  static constexpr size_t kPages = 64;
  AccessBitProbe() {
    void* p = mmap(nullptr, kPages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return;
    madvise(p, kPages * 4096, MADV_NOHUGEPAGE);  // 4 KiB pages: what a clear costs the program's 4 KiB pages
    pages_ = static_cast<volatile char*>(p);
    for (size_t i = 0; i < kPages; i++) pages_[i * 4096] = 1;
  }
  ~AccessBitProbe() {
    if (pages_ != nullptr) munmap(const_cast<char*>(pages_), kPages * 4096);
  }
  AccessBitProbe(const AccessBitProbe&) = delete;
  AccessBitProbe& operator=(const AccessBitProbe&) = delete;

  // Call right after a clear. Returns ns per page (0 if the probe has no memory).
  uint64_t Measure() {
    if (pages_ == nullptr) return 0;
    const auto pass = [this] {
      const auto t0 = std::chrono::steady_clock::now();
      unsigned sum = 0;
      for (size_t i = 0; i < kPages; i++) sum += static_cast<unsigned char>(pages_[i * 4096]);
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
  LinuxReferencedSource(const ReferencedOptions& options, platform::UniqueFd clear_refs)
      : options_(options), clear_refs_(std::move(clear_refs)) {}
  ~LinuxReferencedSource() override { Release(); }

  monitor::AccessSignal signal() const override { return monitor::AccessSignal::kAccess; }

  std::vector<monitor::AddressRange> Mappings() override {
    std::vector<monitor::AddressRange> out;
    for (const auto& v : platform::procfs::ReadMaps(0))
      if (v.pathname != "[vsyscall]") out.push_back({v.start, v.end});
    return out;
  }

  // Splits the monitored anonymous memory into cells (see PlanCells) and starts a window.
  void TargetsChanged(const std::vector<monitor::AddressRange>& monitored) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!clear_refs_.valid()) clear_refs_ = OpenClearRefs(nullptr);
    monitored_ = monitored;
    const auto vmas = ParseSmapsReferenced(platform::procfs::ReadTextFile("/proc/self/smaps"));
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
    std::set<monitor::AddressRange, RangeLess> next(plan.marked.begin(), plan.marked.end());
    for (const auto& r : marked_)
      if (next.count(r) == 0) madvise(reinterpret_cast<void*>(r.start), r.size(), MADV_DODUMP);  // fails harmlessly once unmapped
    std::set<monitor::AddressRange, RangeLess> now;
    for (const auto& r : next)
      if (marked_.count(r) > 0 || madvise(reinterpret_cast<void*>(r.start), r.size(), MADV_DONTDUMP) == 0) now.insert(r);
    marked_.swap(now);
    cell_bytes_ = plan.cell_bytes;
    // The first window opens now; an ops update keeps the current one (an update interval
    // shorter than a window would otherwise never let one complete).
    if (next_cycle_us_ == 0) {
      Clear();
      next_cycle_us_ = NowUs() + options_.min_interval_us;
    }
  }

  void PrepareAccessCheck(uint64_t /*addr*/) override { CycleIfDue(); }
  void PrepareAccessChecks(const std::vector<uint64_t>& /*addrs*/) override { CycleIfDue(); }

  monitor::AccessCheck CheckAccess(uint64_t addr) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return {SampleAccessed(window_, addr), monitor::kMinRegionSize};
  }

  // Marks every cell MADV_DODUMP again (its VMA merges back with its neighbours) and closes
  // clear_refs. Accessed bits this source cleared stay clear until the pages are used.
  void Release() override {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& r : marked_) madvise(reinterpret_cast<void*>(r.start), r.size(), MADV_DODUMP);
    marked_.clear();
    window_.clear();
    cell_bytes_ = 0;
    next_cycle_us_ = 0;
    clear_refs_ = platform::UniqueFd();
  }

  int64_t ReferencedPages(uint64_t start, uint64_t end) const override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_.cycles == 0) return -1;
    return ReferencedPagesIn(window_, start, end);
  }

  ReferencedState State() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    ReferencedState s = state_;
    s.cell_bytes = cell_bytes_;
    s.marked_ranges = marked_.size();
    return s;
  }

  static platform::UniqueFd OpenClearRefs(std::string* why_not) {
    platform::UniqueFd fd(open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC));
    if (!fd.valid()) {
      const std::string why = std::string("cannot open /proc/self/clear_refs for writing: ") + platform::ErrnoText(errno);
      if (why_not == nullptr) throw std::runtime_error(why);
      *why_not = why;
    }
    return fd;
  }

 private:
  void Clear() {
    // "2": the Accessed bits of anonymous pages (Documentation/filesystems/proc.rst, clear_refs).
    if (write(clear_refs_.get(), "2", 1) != 1)
      throw std::runtime_error(std::string("writing /proc/self/clear_refs failed: ") + platform::ErrnoText(errno));
    opening_access_bit_ns_ = probe_.Measure();
  }

  void CycleIfDue() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!clear_refs_.valid() || NowUs() < next_cycle_us_) return;
    const uint64_t cpu0 = platform::ThreadCpuTimeNs();
    const auto vmas = ParseSmapsReferenced(platform::procfs::ReadTextFile("/proc/self/smaps"));
    // The window's pages paid the cost measured at the clear that opened it; state() reports
    // that figure beside the window's estimate, so that the two always belong together.
    const uint64_t access_bit_ns = opening_access_bit_ns_;
    Clear();
    window_.clear();
    uint64_t small_pages = 0;  // 4 KiB pages of anonymous memory referenced in the window, all of the process
    for (const auto& v : vmas) {
      if (v.inode_anonymous) small_pages += (v.referenced > v.anon_huge ? v.referenced - v.anon_huge : 0) / 4096;
      if (v.anonymous_rw && Contains(monitored_, v.start, v.start + 1)) window_.push_back({v.start, v.end, v.referenced});
    }
    const uint64_t cost = platform::ThreadCpuTimeNs() - cpu0;
    state_.cycles++;
    state_.last_cycle_cpu_ns = cost;
    state_.total_cycle_cpu_ns += cost;
    state_.access_bit_ns = access_bit_ns;
    state_.last_window_program_ns = small_pages * access_bit_ns;
    state_.interval_us = NextIntervalUs(cost, state_.last_window_program_ns, options_.min_interval_us, options_.cpu_budget_bp,
                                        options_.program_budget_bp);
    next_cycle_us_ = NowUs() + state_.interval_us;
  }

  const ReferencedOptions options_;
  platform::UniqueFd clear_refs_;
  AccessBitProbe probe_;
  uint64_t opening_access_bit_ns_ = 0;  // measured at the clear that opened the current window
  mutable std::mutex mutex_;
  std::vector<monitor::AddressRange> monitored_;
  std::set<monitor::AddressRange, RangeLess> marked_;
  uint64_t cell_bytes_ = 0;
  std::vector<WindowVma> window_;
  uint64_t next_cycle_us_ = 0;
  ReferencedState state_;
};

}  // namespace

std::unique_ptr<ReferencedSource> CreateReferencedSource(const ReferencedOptions& options, std::string* why_not) {
  auto fd = LinuxReferencedSource::OpenClearRefs(why_not);
  if (!fd.valid()) return nullptr;
  std::string text;
  if (platform::procfs::TryReadTextFile("/proc/self/smaps_rollup", text) != 0 || text.find("Referenced:") == std::string::npos) {
    *why_not = "/proc/self/smaps does not report Referenced bytes";
    return nullptr;
  }
  return std::make_unique<LinuxReferencedSource>(options, std::move(fd));
}

}  // namespace thp::sources
