// A monitoring region (Documentation/mm/damon/design.rst, "Region Based Sampling") and address ranges.
#pragma once

#include <cstdint>

#include "core/monitor/attrs.h"

namespace thp::monitor {

// Half-open [start, end).
struct AddressRange {
  uint64_t start = 0;
  uint64_t end = 0;
  uint64_t size() const { return end - start; }
};

struct Region {
  uint64_t start = 0;
  uint64_t end = 0;
  uint64_t sampling_addr = 0;     // chosen at each prepare step (design.rst "PTE Accessed-bit Based Access Check")
  uint32_t nr_accesses = 0;       // samples of this aggregation window that saw an access
  uint64_t nr_accesses_bp = 0;    // pseudo moving sum ×10000 (design.rst "Access Frequency Monitoring")
  uint32_t age = 0;               // aggregations the access pattern has persisted (design.rst "Age Tracking")
  uint32_t last_nr_accesses = 0;  // nr_accesses of the previous window

  uint64_t size() const { return end - start; }
};

inline Region NewRegion(uint64_t start, uint64_t end) {
  Region r;
  r.start = start;
  r.end = end;
  return r;
}

// The kernel's ALIGN_DOWN/ALIGN_UP: `a` is a power of two (region sizes, folio sizes), so a mask,
// with no division on the sampling hot path (the same-folio test, design.rst "PTE Accessed-bit Based Access Check").
inline uint64_t AlignDown(uint64_t v, uint64_t a) { return v & ~(a - 1); }
inline uint64_t AlignUp(uint64_t v, uint64_t a) { return AlignDown(v + a - 1, a); }

}  // namespace thp::monitor
