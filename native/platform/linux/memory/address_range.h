// A byte range of some process's address space, and its whole huge-page units.
#pragma once
#include <cstdint>

namespace thp::platform {

struct AddressRange {
  uint64_t start = 0;
  uint64_t length = 0;
  uint64_t end() const { return start + length; }
};

// The whole `unit`-aligned units inside `range` (MADV_COLLAPSE clamps the same way):
// [first, last) with first rounded up and last rounded down to the unit size.
struct UnitSpan {
  uint64_t first = 0;
  uint64_t last = 0;
  uint64_t unit = 0;
  uint64_t count() const { return last > first ? (last - first) / unit : 0; }
};

inline UnitSpan WholeUnits(const AddressRange& range, uint64_t unit) {
  UnitSpan span;
  span.unit = unit;
  span.first = (range.start + unit - 1) / unit * unit;
  span.last = range.end() / unit * unit;
  if (span.last < span.first) span.last = span.first;
  return span;
}

}  // namespace thp::platform
