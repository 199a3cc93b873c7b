// A byte range of some process's address space, and its whole huge-page units.
#pragma once
#include <cstdint>
#include <vector>

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

// Consecutive whole units of a span that all overlap some mapping of the process (`mapped`),
// or all lie outside every mapping.
struct UnitRun {
  uint64_t first = 0;
  uint64_t count = 0;
  bool mapped = false;
};

// The units of `span` as alternating runs, given the process's mappings as [start, end)
// sorted by address (as /proc/<pid>/maps lists them). Runs number at most twice the
// mappings plus one, however long the span: unmapped space costs nothing to describe.
std::vector<UnitRun> SplitByMappings(const UnitSpan& span, const std::vector<AddressRange>& mappings);

}  // namespace thp::platform
