// Linux implementation of the pagemap access source (sources/pagemap/pagemap_source.h).
//
// Per sample and region (Documentation/mm/damon/design.rst, "PTE Accessed-bit Based Access Check" with write-protection standing in for the
// Accessed bit): prepare write-protects the 4 KiB sampling page, or the whole aligned
// 2 MiB when it lies in a PMD-mapped huge page (protecting 4 KiB there would split the
// mapping); check reads PAGE_IS_WRITTEN of that page, and PAGE_IS_HUGE for DAMON's
// same-folio cache. Only anonymous private writable mappings are registered (at every ops
// update); samples elsewhere count as "not written". Deliberate differences from the
// kernel's vaddr ops: writes only, and memory outside registered mappings is never seen.
#include "sources/pagemap/pagemap_source.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <vector>

#include "platform/linux/procfs/maps.h"
#include "platform/linux/uapi_compat.h"
#include "platform/linux/unique_fd.h"
#include "platform/system_error.h"

namespace thp::sources {

namespace {

constexpr uint64_t kPage = 4096;
constexpr uint64_t kHuge = uint64_t{2} << 20;
// Every registered page has PAGE_IS_WPALLOWED, so a scan of one always reports a region.
constexpr uint64_t kReturned = PAGE_IS_WPALLOWED | PAGE_IS_WRITTEN | PAGE_IS_HUGE;

bool Registrable(const platform::procfs::Vma& v) {
  if (v.perms.size() < 4 || v.perms[0] != 'r' || v.perms[1] != 'w' || v.perms[3] != 'p' || v.inode != 0) return false;
  return v.pathname.empty() || v.pathname == "[heap]" || v.pathname.rfind("[anon:", 0) == 0;
}

class LinuxPagemapSource final : public PagemapSource {
 public:
  LinuxPagemapSource() = default;
  ~LinuxPagemapSource() override { Release(); }

  monitor::AccessSignal signal() const override { return monitor::AccessSignal::kWrite; }

  std::vector<monitor::AddressRange> Mappings() override {
    std::vector<monitor::AddressRange> out;
    for (const auto& v : platform::procfs::ReadMaps(0))
      if (v.pathname != "[vsyscall]") out.push_back({v.start, v.end});  // not a VMA of the mm
    return out;
  }

  // Registers new anonymous writable mappings inside the monitored ranges and forgets
  // vanished ones (the kernel drops a registration with its mapping).
  void TargetsChanged(const std::vector<monitor::AddressRange>& monitored) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!uffd_.valid()) OpenUffd();
    if (!pagemap_.valid()) pagemap_ = OpenPagemap();
    std::vector<monitor::AddressRange> now;
    for (const auto& v : platform::procfs::ReadMaps(0)) {
      if (!Registrable(v)) continue;
      for (const auto& m : monitored) {
        const uint64_t s = std::max(v.start, m.start), e = std::min(v.end, m.end);
        if (s >= e) continue;
        // Whole VMAs only: registering part of one would split it. A VMA reaching beyond the
        // monitored range is registered whole; its outside part is never sampled.
        if (!std::any_of(registered_.begin(), registered_.end(),
                         [&](const monitor::AddressRange& r) { return r.start == v.start && r.end == v.end; })) {
          uffdio_register reg{};
          reg.range.start = v.start;
          reg.range.len = v.end - v.start;
          reg.mode = UFFDIO_REGISTER_MODE_WP;
          if (ioctl(uffd_.get(), UFFDIO_REGISTER, &reg) != 0) break;  // e.g. a VM_PFNMAP mapping: skip it
        }
        now.push_back({v.start, v.end});
        break;
      }
    }
    // A registered VMA no monitored range reaches any more (the targets' ranges changed) is
    // given back: its pages keep no write-protection a later write would have to clear.
    for (const auto& r : registered_) {
      const bool monitored_still = std::any_of(
          monitored.begin(), monitored.end(), [&](const monitor::AddressRange& m) { return m.start < r.end && r.start < m.end; });
      if (!monitored_still) Unregister(r);
    }
    registered_.swap(now);
  }

  void PrepareAccessCheck(uint64_t addr) override {
    const uint64_t page = addr & ~(kPage - 1);
    std::lock_guard<std::mutex> lock(mutex_);
    if (!Registered(page)) return;
    if (paused_.load(std::memory_order_relaxed)) {
      // Not protected this time, so its check must not read "written" (an unprotected page does).
      unprepared_.insert(page);
      return;
    }
    // Only the sample page, as DAMON's vaddr ops clear one page's Accessed bit. A page never
    // protected before reads as written and its protection flushes its TLB entry, which costs
    // a program that only reads (with 10 regions sampled every 5 ms over 4 GiB read at random,
    // 28% of its time per read: bench/read-overhead/reader-probe.c). Protecting the whole
    // 2 MiB unit at its first sample removed that, but made a writer take a fault on every
    // page it then wrote: a 512 MiB set written at random fell from about 2.5 to 0.01 M
    // writes/s for over 10 s on this VM, where such a fault costs 16-100 us; protecting only
    // units whose samples were never found written did the same (a unit written at random
    // reads unwritten in many single-page samples, and a slowed writer in more). One page per
    // sample bounds the cost to the program by the sampling rate, whatever its size.
    // Protect the 4 KiB page unless it is PMD-mapped (category PAGE_IS_HUGE inverted).
    page_region vec{};
    if (Scan(page, page + kPage, PM_SCAN_WP_MATCHING | PM_SCAN_CHECK_WPASYNC, PAGE_IS_HUGE, PAGE_IS_HUGE, kReturned, &vec) > 0)
      return;
    if (!protect_huge_.load(std::memory_order_relaxed)) return;
    const uint64_t huge = addr & ~(kHuge - 1);
    if (Registered(huge) && Registered(huge + kHuge - 1))
      Scan(huge, huge + kHuge, PM_SCAN_WP_MATCHING | PM_SCAN_CHECK_WPASYNC, 0, 0, kReturned, &vec);
  }

  void SetProtectHuge(bool on) override { protect_huge_.store(on, std::memory_order_relaxed); }
  void SetPaused(bool paused) override { paused_.store(paused, std::memory_order_relaxed); }

  monitor::AccessCheck CheckAccess(uint64_t addr) override {
    const uint64_t page = addr & ~(kPage - 1);
    std::lock_guard<std::mutex> lock(mutex_);
    if (!Registered(page) || unprepared_.erase(page) > 0) return {false, kPage};
    page_region vec{};
    if (Scan(page, page + kPage, 0, 0, 0, kReturned, &vec) <= 0) return {false, kPage};
    return {(vec.categories & PAGE_IS_WRITTEN) != 0, (vec.categories & PAGE_IS_HUGE) ? kHuge : kPage};
  }

  // Clears every protection and registration, then closes the userfaultfd and the pagemap
  // file: a stopped monitor holds no descriptor (the next start opens them again).
  void Release() override {
    std::lock_guard<std::mutex> lock(mutex_);
    pagemap_ = platform::UniqueFd();
    if (!uffd_.valid()) return;
    for (const auto& r : registered_) Unregister(r);
    registered_.clear();
    uffd_ = platform::UniqueFd();
  }

  int Unprotect(uint64_t start, uint64_t end) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!uffd_.valid()) return 0;
    for (const auto& r : registered_) {
      const uint64_t s = std::max(r.start, start), e = std::min(r.end, end);
      if (s >= e) continue;
      uffdio_writeprotect wp{};
      wp.range.start = s & ~(kPage - 1);
      wp.range.len = ((e + kPage - 1) & ~(kPage - 1)) - wp.range.start;
      wp.mode = 0;
      if (ioctl(uffd_.get(), UFFDIO_WRITEPROTECT, &wp) != 0 && errno != ENOENT) return errno;
    }
    return 0;
  }

  int64_t WrittenPages(uint64_t start, uint64_t end) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!uffd_.valid() || start >= end ||
        !std::any_of(registered_.begin(), registered_.end(),
                     [&](const monitor::AddressRange& r) { return r.start <= start && end <= r.end; }))
      return -1;
    // Written 4 KiB pages only (PAGE_IS_HUGE inverted); a return mask other than exactly
    // PAGE_IS_WRITTEN keeps the kernel off its fast path, which reads absent pages as written.
    std::vector<page_region> vec((end - start) / kPage + 1);
    pm_scan_arg arg{};
    arg.size = sizeof(arg);
    arg.flags = PM_SCAN_WP_MATCHING | PM_SCAN_CHECK_WPASYNC;
    arg.start = start;
    arg.end = end;
    arg.vec = reinterpret_cast<uint64_t>(vec.data());
    arg.vec_len = vec.size();
    arg.category_mask = PAGE_IS_WRITTEN | PAGE_IS_HUGE;
    arg.category_inverted = PAGE_IS_HUGE;
    arg.return_mask = PAGE_IS_WRITTEN | PAGE_IS_HUGE;
    const long n = ioctl(pagemap_.get(), PAGEMAP_SCAN, &arg);
    if (n < 0) return -1;
    int64_t pages = 0;
    for (long i = 0; i < n; i++) pages += static_cast<int64_t>((vec[i].end - vec[i].start) / kPage);
    return pages;
  }

  uint64_t RegisteredBytes() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    uint64_t n = 0;
    for (const auto& r : registered_) n += r.size();
    return n;
  }

  // Opens /proc/self/pagemap; throws if it cannot.
  static platform::UniqueFd OpenPagemap() {
    platform::UniqueFd pagemap(open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC));
    if (!pagemap.valid()) throw std::runtime_error(std::string("cannot open /proc/self/pagemap: ") + platform::ErrnoText(errno));
    return pagemap;
  }

  // Opens the userfaultfd in WP_ASYNC mode; throws if the kernel refuses.
  void OpenUffd() {
    const int fd = static_cast<int>(syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY));
    if (fd < 0) throw std::runtime_error(std::string("userfaultfd failed: ") + platform::ErrnoText(errno));
    platform::UniqueFd uffd(fd);
    uffdio_api api{};
    api.api = UFFD_API;
    api.features = UFFD_FEATURE_WP_ASYNC | UFFD_FEATURE_WP_UNPOPULATED;
    if (ioctl(uffd.get(), UFFDIO_API, &api) != 0)
      throw std::runtime_error(std::string("UFFDIO_API with WP_ASYNC failed: ") + platform::ErrnoText(errno));
    uffd_ = std::move(uffd);
  }

 private:
  // Clears the write-protection of a registered VMA and unregisters it; both fail harmlessly
  // where the mapping is gone. Call with mutex_ held.
  void Unregister(const monitor::AddressRange& r) {
    uffdio_writeprotect wp{};
    wp.range.start = r.start;
    wp.range.len = r.size();
    wp.mode = 0;
    ioctl(uffd_.get(), UFFDIO_WRITEPROTECT, &wp);
    uffdio_range range{r.start, r.size()};
    ioctl(uffd_.get(), UFFDIO_UNREGISTER, &range);
  }

  bool Registered(uint64_t addr) const {
    auto it = std::upper_bound(registered_.begin(), registered_.end(), addr,
                               [](uint64_t a, const monitor::AddressRange& r) { return a < r.start; });
    return it != registered_.begin() && addr < (it - 1)->end;
  }

  long Scan(uint64_t start, uint64_t end, uint64_t flags, uint64_t mask, uint64_t inverted, uint64_t ret_mask, page_region* vec) {
    pm_scan_arg arg{};
    arg.size = sizeof(arg);
    arg.flags = flags;
    arg.start = start;
    arg.end = end;
    arg.vec = reinterpret_cast<uint64_t>(vec);
    arg.vec_len = 1;
    arg.category_mask = mask;
    arg.category_inverted = inverted;
    arg.return_mask = ret_mask;
    return ioctl(pagemap_.get(), PAGEMAP_SCAN, &arg);
  }

  platform::UniqueFd pagemap_;
  std::atomic<bool> protect_huge_{true};
  std::atomic<bool> paused_{false};
  std::unordered_set<uint64_t> unprepared_;  // sampled while paused: checked as not written
  platform::UniqueFd uffd_;
  mutable std::mutex mutex_;
  std::vector<monitor::AddressRange> registered_;  // sorted whole VMAs
};

}  // namespace

std::unique_ptr<PagemapSource> CreatePagemapSource(std::string* why_not) {
  platform::UniqueFd pagemap;
  try {
    pagemap = LinuxPagemapSource::OpenPagemap();
  } catch (const std::exception& e) {
    *why_not = e.what();
    return nullptr;
  }
  // Probe PAGEMAP_SCAN (Linux 6.7) on a page of our own stack.
  uint64_t probe = reinterpret_cast<uint64_t>(&why_not) & ~(kPage - 1);
  pm_scan_arg arg{};
  arg.size = sizeof(arg);
  arg.start = probe;
  arg.end = probe + kPage;
  page_region vec{};
  arg.vec = reinterpret_cast<uint64_t>(&vec);
  arg.vec_len = 1;
  arg.return_mask = PAGE_IS_PRESENT;
  if (ioctl(pagemap.get(), PAGEMAP_SCAN, &arg) < 0) {
    *why_not = std::string("PAGEMAP_SCAN is not available (needs Linux 6.7): ") + platform::ErrnoText(errno);
    return nullptr;
  }
  auto source = std::make_unique<LinuxPagemapSource>();
  try {
    source->OpenUffd();
    source->Release();
  } catch (const std::exception& e) {
    *why_not = e.what();
    return nullptr;
  }
  return source;
}

}  // namespace thp::sources
