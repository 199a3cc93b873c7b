#include "platform/linux/memory/collapse.h"

#include <cerrno>
#include <chrono>

#include "platform/linux/memory/collapse_fault_hook.h"
#include "platform/linux/memory/page_geometry.h"
#include "platform/linux/memory/residency.h"
#include "platform/system_error.h"

namespace thp::platform {

namespace {

CollapseOutcome Classify(int error) {
  switch (error) {
    case 0: return CollapseOutcome::kCollapsed;
    case EAGAIN: return CollapseOutcome::kAgain;
    case ENOMEM: return CollapseOutcome::kNoMemory;
    case EBUSY: return CollapseOutcome::kBusy;
    case EINVAL: return CollapseOutcome::kInvalid;
    default: return CollapseOutcome::kFailed;
  }
}

// Errors that concern the process rather than one unit end the whole call.
bool IsProcessLevel(int error) { return error == EPERM || error == ESRCH || error == EACCES; }

}  // namespace

std::vector<UnitCollapse> CollapseUnits(const TargetProcess& target, const AddressRange& range, const MappedQuery& mapped) {
  const ResidencyMethod method = PagemapScanAvailable() ? ResidencyMethod::kPagemapScan : ResidencyMethod::kPagemapRead;
  const auto residency = ReadResidency(target, range, method);
  std::vector<UnitCollapse> results;
  results.reserve(residency.size());
  for (const auto& unit : residency) {
    UnitCollapse result;
    result.address = unit.address;
    result.resident_before = unit.resident_pages;
    result.units = unit.units;
    const AddressRange unit_range{unit.address, HugeUnitSize()};
    if (unit.units > 1 || !mapped(unit_range.start, unit_range.end())) {
      result.outcome = CollapseOutcome::kNotMapped;
    } else if (unit.pmd_mapped == 1) {
      result.outcome = CollapseOutcome::kAlreadyHuge;
    } else {
      const auto begin = std::chrono::steady_clock::now();
      const int injected = InjectedCollapseError();
      result.error = injected != 0 ? injected : target.TryAdvise(unit_range, Advice::kCollapse);
      result.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin).count();
      if (IsProcessLevel(result.error)) {
        throw SystemError(target.is_self() ? "madvise" : "process_madvise", result.error, "MADV_COLLAPSE");
      }
      result.outcome = Classify(result.error);
    }
    results.push_back(result);
  }
  return results;
}

const char* CollapseOutcomeName(CollapseOutcome outcome) {
  switch (outcome) {
    case CollapseOutcome::kCollapsed: return "collapsed";
    case CollapseOutcome::kAlreadyHuge: return "already-huge";
    case CollapseOutcome::kNotMapped: return "not-mapped";
    case CollapseOutcome::kAgain: return "EAGAIN";
    case CollapseOutcome::kNoMemory: return "ENOMEM";
    case CollapseOutcome::kBusy: return "EBUSY";
    case CollapseOutcome::kInvalid: return "EINVAL";
    case CollapseOutcome::kFailed: return "failed";
  }
  return "failed";
}

}  // namespace thp::platform
