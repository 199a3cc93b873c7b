// Per huge-page unit: how many base pages are resident and whether the unit is mapped by
// one PMD (a real transparent huge page), read from /proc/<pid>/pagemap.
#pragma once
#include <cstdint>
#include <vector>

#include "platform/linux/memory/address_range.h"
#include "platform/linux/memory/target_process.h"

namespace thp::platform {

enum class ResidencyMethod {
  kPagemapScan,  // ioctl(PAGEMAP_SCAN), Linux 6.7+: one call for many units, reports PMD mappings
  kPagemapRead,  // read(2) of 8-byte pagemap entries: any kernel, but cannot see PMD mappings
};

struct UnitResidency {
  uint64_t address = 0;
  uint32_t resident_pages = 0;
  // -1 unknown (kPagemapRead), 0 no, 1 yes.
  int pmd_mapped = -1;
  // Consecutive units this entry stands for: 1, or a longer stretch outside every mapping
  // (more than kListedGapUnits units), reported once instead of unit by unit.
  uint64_t units = 1;
};

// Stretches outside every mapping up to this many units are listed unit by unit; longer ones
// (1 GiB and more with 2 MiB units) become one entry, so a call over a sparse address space
// costs what is mapped, not what is not.
constexpr uint64_t kListedGapUnits = 512;

// Whole units of `range` only (see WholeUnits), in address order. Only mapped units are read
// (the target's mappings come from /proc/<pid>/maps). Throws SystemError: "open" (ENOENT/ESRCH
// for a vanished process, EACCES/EPERM without ptrace access), "ioctl(PAGEMAP_SCAN)"
// (ENOTTY/EINVAL where the kernel lacks it), "pread".
std::vector<UnitResidency> ReadResidency(const TargetProcess& target, const AddressRange& range, ResidencyMethod method);

// Whether this kernel answers PAGEMAP_SCAN (checked once, on this process).
bool PagemapScanAvailable();

}  // namespace thp::platform
