#include "platform/linux/memory/residency.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <string>

#include "platform/linux/memory/page_geometry.h"
#include "platform/linux/procfs/proc_file.h"
#include "platform/linux/unique_fd.h"
#include "platform/linux/uapi_compat.h"
#include "platform/system_error.h"

namespace thp::platform {

namespace {

UniqueFd OpenPagemap(const TargetProcess& target) {
  const std::string path = procfs::ProcPath(target.pid(), "pagemap");
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) throw SystemError("open", errno, path);
  return fd;
}

std::vector<UnitResidency> EmptyUnits(const UnitSpan& span) {
  std::vector<UnitResidency> units(span.count());
  for (size_t i = 0; i < units.size(); ++i) units[i].address = span.first + i * span.unit;
  return units;
}

// Adds one PAGEMAP_SCAN result region to the units it overlaps.
void Accumulate(const page_region& region, const UnitSpan& span, std::vector<UnitResidency>& units) {
  const uint64_t page = BasePageSize();
  for (uint64_t at = std::max<uint64_t>(region.start, span.first); at < region.end && at < span.last;) {
    const size_t index = (at - span.first) / span.unit;
    const uint64_t unit_end = span.first + (index + 1) * span.unit;
    const uint64_t covered_end = std::min<uint64_t>(region.end, unit_end);
    units[index].resident_pages += static_cast<uint32_t>((covered_end - at) / page);
    // A PMD-mapped unit is reported as one region spanning the whole unit with PAGE_IS_HUGE.
    if ((region.categories & PAGE_IS_HUGE) && at == units[index].address && covered_end == unit_end) {
      units[index].pmd_mapped = 1;
    }
    at = covered_end;
  }
}

std::vector<UnitResidency> ScanResidency(const TargetProcess& target, const UnitSpan& span) {
  auto units = EmptyUnits(span);
  for (auto& unit : units) unit.pmd_mapped = 0;
  UniqueFd fd = OpenPagemap(target);
  constexpr size_t kBatch = 512;
  std::unique_ptr<page_region[]> regions(new page_region[kBatch]);
  uint64_t cursor = span.first;
  while (cursor < span.last) {
    pm_scan_arg arg{};
    arg.size = sizeof(arg);
    arg.start = cursor;
    arg.end = span.last;
    arg.vec = reinterpret_cast<uint64_t>(regions.get());
    arg.vec_len = kBatch;
    arg.category_mask = PAGE_IS_PRESENT;
    arg.return_mask = PAGE_IS_PRESENT | PAGE_IS_HUGE;
    const int filled = ioctl(fd.get(), PAGEMAP_SCAN, &arg);
    if (filled < 0) throw SystemError("ioctl(PAGEMAP_SCAN)", errno, procfs::ProcPath(target.pid(), "pagemap"));
    for (int i = 0; i < filled; ++i) Accumulate(regions[i], span, units);
    // walk_end says how far the kernel got; it stops early only when the vector is full.
    if (arg.walk_end <= cursor) break;
    cursor = arg.walk_end;
  }
  return units;
}

std::vector<UnitResidency> ReadEntries(const TargetProcess& target, const UnitSpan& span) {
  auto units = EmptyUnits(span);
  UniqueFd fd = OpenPagemap(target);
  const uint64_t page = BasePageSize();
  const size_t per_unit = span.unit / page;
  std::vector<uint64_t> entries(per_unit);
  constexpr uint64_t kPresent = 1ULL << 63;
  for (auto& unit : units) {
    const off_t offset = static_cast<off_t>(unit.address / page * sizeof(uint64_t));
    const ssize_t got = pread(fd.get(), entries.data(), per_unit * sizeof(uint64_t), offset);
    if (got < 0) throw SystemError("pread", errno, procfs::ProcPath(target.pid(), "pagemap"));
    const size_t count = static_cast<size_t>(got) / sizeof(uint64_t);
    unit.resident_pages = static_cast<uint32_t>(std::count_if(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(count), [](uint64_t e) { return (e & kPresent) != 0; }));
  }
  return units;
}

}  // namespace

std::vector<UnitResidency> ReadResidency(const TargetProcess& target, const AddressRange& range, ResidencyMethod method) {
  const UnitSpan span = WholeUnits(range, HugeUnitSize());
  if (span.count() == 0) return {};
  return method == ResidencyMethod::kPagemapScan ? ScanResidency(target, span) : ReadEntries(target, span);
}

bool PagemapScanAvailable() {
  static const bool available = [] {
    UniqueFd fd(open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return false;
    pm_scan_arg arg{};
    arg.size = sizeof(arg);
    // An empty range is valid for the ioctl where it exists; older kernels answer ENOTTY.
    return ioctl(fd.get(), PAGEMAP_SCAN, &arg) >= 0;
  }();
  return available;
}

}  // namespace thp::platform

