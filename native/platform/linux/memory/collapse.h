// MADV_COLLAPSE one huge-page unit at a time, so every unit gets its own outcome and time
// (the kernel reports only the last errno when a multi-unit call fails part-way).
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "platform/linux/memory/address_range.h"
#include "platform/linux/memory/target_process.h"

namespace thp::platform {

enum class CollapseOutcome {
  kCollapsed,    // now PMD-mapped
  kAlreadyHuge,  // was PMD-mapped before: no syscall made
  kNotMapped,    // part of the unit lies outside any single mapping
  kAgain,        // EAGAIN: transient (page locked, under migration, ...), worth retrying
  kNoMemory,     // ENOMEM: no huge page could be allocated
  kBusy,         // EBUSY: memcg charge failed
  kInvalid,      // EINVAL: the mapping cannot hold a THP (VM_NOHUGEPAGE, uffd-wp markers, ...)
  kFailed,       // any other errno (see `error`)
};

struct UnitCollapse {
  uint64_t address = 0;
  CollapseOutcome outcome = CollapseOutcome::kFailed;
  int error = 0;                 // errno of the syscall, 0 when none failed
  uint32_t resident_before = 0;  // resident base pages before; the rest are zero-filled by collapse
  double elapsed_ms = 0;
  uint64_t units = 1;  // more than 1 only for a long stretch outside every mapping (see ReadResidency)
};

// True when [start, end) lies inside one mapping of the target.
using MappedQuery = std::function<bool(uint64_t start, uint64_t end)>;

// Collapses every whole unit of `range`; work and result grow with the mapped part of it.
// Process-level failures (no such process, no
// permission to advise it) throw SystemError; per-unit failures are outcomes.
std::vector<UnitCollapse> CollapseUnits(const TargetProcess& target, const AddressRange& range, const MappedQuery& mapped);

const char* CollapseOutcomeName(CollapseOutcome outcome);

}  // namespace thp::platform
