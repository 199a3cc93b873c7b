#include "platform/linux/memory/residency.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <string>

#include "platform/linux/memory/page_geometry.h"
#include "platform/linux/procfs/maps.h"
#include "platform/linux/procfs/proc_file.h"
#include "platform/linux/uapi_compat.h"
#include "platform/linux/unique_fd.h"
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

std::vector<UnitResidency> ScanResidency(int fd, const TargetProcess& target, const UnitSpan& span) {
  auto units = EmptyUnits(span);
  for (auto& unit : units) unit.pmd_mapped = 0;
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
    const int filled = ioctl(fd, PAGEMAP_SCAN, &arg);
    if (filled < 0) throw SystemError("ioctl(PAGEMAP_SCAN)", errno, procfs::ProcPath(target.pid(), "pagemap"));
    for (int i = 0; i < filled; ++i) Accumulate(regions[i], span, units);
    // walk_end says how far the kernel got; it stops early only when the vector is full.
    if (arg.walk_end <= cursor) break;
    cursor = arg.walk_end;
  }
  return units;
}

std::vector<UnitResidency> ReadEntries(int fd, const TargetProcess& target, const UnitSpan& span) {
  auto units = EmptyUnits(span);
  const uint64_t page = BasePageSize();
  const size_t per_unit = span.unit / page;
  std::vector<uint64_t> entries(per_unit);
  constexpr uint64_t kPresent = 1ULL << 63;
  for (auto& unit : units) {
    const off_t offset = static_cast<off_t>(unit.address / page * sizeof(uint64_t));
    const ssize_t got = pread(fd, entries.data(), per_unit * sizeof(uint64_t), offset);
    if (got < 0) throw SystemError("pread", errno, procfs::ProcPath(target.pid(), "pagemap"));
    const size_t count = static_cast<size_t>(got) / sizeof(uint64_t);
    unit.resident_pages = static_cast<uint32_t>(std::count_if(
        entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(count), [](uint64_t e) { return (e & kPresent) != 0; }));
  }
  return units;
}

// Units outside every mapping: nothing is resident there.
void AppendUnmapped(const UnitRun& run, const UnitSpan& span, ResidencyMethod method, std::vector<UnitResidency>& out) {
  const int pmd_mapped = method == ResidencyMethod::kPagemapScan ? 0 : -1;
  if (run.count > kListedGapUnits) {
    out.push_back({run.first, 0, pmd_mapped, run.count});
    return;
  }
  for (uint64_t i = 0; i < run.count; ++i) out.push_back({run.first + i * span.unit, 0, pmd_mapped, 1});
}

std::vector<AddressRange> MappingsOf(const TargetProcess& target) {
  std::vector<AddressRange> mappings;
  for (const auto& vma : procfs::ReadMaps(target.pid())) mappings.push_back({vma.start, vma.end - vma.start});
  return mappings;
}

}  // namespace

std::vector<UnitResidency> ReadResidency(const TargetProcess& target, const AddressRange& range, ResidencyMethod method) {
  const UnitSpan span = WholeUnits(range, HugeUnitSize());
  if (span.count() == 0) return {};
  UniqueFd fd = OpenPagemap(target);  // first: its errors name the process (gone, not permitted)
  // A span this short is listed unit by unit whatever its gaps, so it is scanned whole (the
  // tuner's frequent small calls); only a longer one needs the mappings to skip its gaps.
  const std::vector<UnitRun> runs = span.count() <= kListedGapUnits ? std::vector<UnitRun>{{span.first, span.count(), true}}
                                                                    : SplitByMappings(span, MappingsOf(target));
  std::vector<UnitResidency> out;
  for (const UnitRun& run : runs) {
    if (!run.mapped) {
      AppendUnmapped(run, span, method, out);
      continue;
    }
    const UnitSpan part{run.first, run.first + run.count * span.unit, span.unit};
    const auto units =
        method == ResidencyMethod::kPagemapScan ? ScanResidency(fd.get(), target, part) : ReadEntries(fd.get(), target, part);
    out.insert(out.end(), units.begin(), units.end());
  }
  return out;
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
