// The `pagemap` access source: the process's own memory, without privileges, on Linux 6.7
// or later. Writes only: it write-protects the sampling page through userfaultfd in
// asynchronous mode (UFFD_FEATURE_WP_ASYNC: the kernel resolves the fault itself and clears
// the protection) and reads PAGE_IS_WRITTEN through PAGEMAP_SCAN one sampling interval later.
// Reads leave no trace: the snapshot says `signal: 'write'`.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/monitor/access_source.h"

namespace thp::sources {

class PagemapSource : public monitor::AccessSource {
 public:
  // Clears write-protection on [start, end) inside registered memory. It must precede a
  // collapse of that range (MADV_COLLAPSE fails with EINVAL over uffd-wp markers). Safe to
  // call from any thread. Returns 0 or an errno value.
  virtual int Unprotect(uint64_t start, uint64_t end) = 0;
  // Whether PMD-mapped huge pages are write-protected when sampled (default true). A write to
  // a write-protected huge PMD in WP_ASYNC mode splits it (mm/memory.c wp_huge_pmd), so a
  // tuner that keeps hot memory huge turns this off: huge pages are then left unprotected and
  // read as written. Safe to call from any thread.
  virtual void SetProtectHuge(bool on) = 0;
  // While paused, sampling protects nothing, and a page sampled then is checked as "not
  // written" (unprotected pages read as written); pages protected before are checked as usual. A collapse pauses it between clearing a unit's protection and
  // MADV_COLLAPSE, which fails with EINVAL over a protected page. Safe from any thread; a
  // prepare in flight completes before Unprotect returns (both take the source's lock).
  virtual void SetPaused(bool paused) = 0;
  // The tuner's unit probe: the pages of [start, end) written since they were last protected,
  // protecting them again, so the next call counts the writes in between (pages never
  // protected read as written). PMD-mapped pages are left alone (a write to a protected huge
  // PMD splits it). -1 where [start, end) is not inside one registered mapping (no write can
  // be seen there). Blocking (one PAGEMAP_SCAN): call it off the JS thread.
  virtual int64_t WrittenPages(uint64_t start, uint64_t end) = 0;
  // Bytes currently registered with userfaultfd (0 once released).
  virtual uint64_t RegisteredBytes() const = 0;
};

// nullptr with `why_not` set where the source cannot work (not Linux, kernel too old,
// userfaultfd disabled).
std::unique_ptr<PagemapSource> CreatePagemapSource(std::string* why_not);

}  // namespace thp::sources
