// Where accesses come from. The monitoring core only talks to this interface: it asks a
// source to arm one address per region (DAMON's prepare_access_checks, Documentation/mm/damon/design.rst, "PTE Accessed-bit Based Access Check")
// and, one sampling interval later, whether that address was used. Implementations: the
// simulated page table (`sim`), the process's own memory through userfaultfd write-protect
// and PAGEMAP_SCAN (`pagemap`, sees writes only) and a seeded synthetic pattern (tests). The
// kernel's own DAMON (`damon`) is no AccessSource: the kernel computes the regions itself, so
// it replaces the whole runner (core/monitor/monitor_driver.h, sources/kernel_damon/kernel_damon.h).
#pragma once

#include <cstdint>
#include <vector>

#include "core/monitor/attrs.h"
#include "core/monitor/region.h"

namespace thp::monitor {

// What a source can observe: every access, or only writes.
enum class AccessSignal { kAccess, kWrite };

struct AccessCheck {
  bool accessed = false;
  // Size of the page (folio) holding the address, a power of two: 2 MiB for a PMD-mapped huge
  // page. DAMON's same-folio cache (design.rst "PTE Accessed-bit Based Access Check") reuses a result for other regions sampled in the
  // same folio.
  uint64_t page_size = kMinRegionSize;
};

class AccessSource {
 public:
  virtual ~AccessSource() = default;

  virtual AccessSignal signal() const = 0;

  // The mapped ranges of the monitored address space in ascending order (the VMAs), from
  // which targets without fixed ranges are built by the "three regions" rule (design.rst "Virtual Address Space Specific Implementation").
  virtual std::vector<AddressRange> Mappings() = 0;

  // Called after targets were (re)built, at start and every ops-update interval, with the
  // monitored ranges; a source registers new memory and forgets vanished memory here.
  virtual void TargetsChanged(const std::vector<AddressRange>& /*monitored*/) {}

  // Clear the accessed (or written) state of the page holding addr.
  virtual void PrepareAccessCheck(uint64_t addr) = 0;

  // One sample's prepares at once, in region order: a source whose state lives in memory can
  // overlap their cache misses (the kernel's prepare loop has the same shape, design.rst "PTE Accessed-bit Based Access Check").
  virtual void PrepareAccessChecks(const std::vector<uint64_t>& addrs) {
    for (const uint64_t addr : addrs) PrepareAccessCheck(addr);
  }

  // Sources that observe more than one page per sample (the referenced source arms 2 MiB cells
  // per region) judge a region as a whole: they return true here and receive, before each
  // sample's prepares, the regions the addresses were drawn from, in the same order.
  virtual bool WantsSampledRegions() const { return false; }
  virtual void SetSampledRegions(const std::vector<AddressRange>& /*regions*/) {}
  // Whether the page holding addr was accessed since its PrepareAccessCheck. The core checks
  // one sample's addresses in the order it prepared them, skipping those the same-folio cache
  // (design.rst "PTE Accessed-bit Based Access Check") answers, so a source can keep what its prepares found. The checks stay one by one
  // because that cache decides from each result whether the next one is needed.
  virtual AccessCheck CheckAccess(uint64_t addr) = 0;

  // Stepped runs only (no real time passes): one sampling interval of `sample_us` elapses
  // between prepare and check. A simulated source runs its workload for that long here; a
  // source over real memory has nothing to do.
  virtual void Elapse(uint64_t /*sample_us*/) {}

  // The monitor thread ended: let go of what the source holds in the OS (registrations,
  // descriptors). TargetsChanged() takes them again when monitoring resumes.
  virtual void Release() {}
};

}  // namespace thp::monitor
