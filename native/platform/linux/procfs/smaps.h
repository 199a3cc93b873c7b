// /proc/<pid>/smaps: per-VMA memory statistics (Documentation/filesystems/proc.rst).
#pragma once

#include <string_view>
#include <vector>

#include "platform/linux/procfs/key_fields.h"
#include "platform/linux/procfs/maps.h"

namespace thp::platform::procfs {

struct SmapsVma {
  Vma vma;
  KeyFields fields;                  // every key of the VMA ("Rss", "AnonHugePages", ...)
  int thpEligible = -1;              // THPeligible: 1 or 0; -1 when the kernel does not print it
  std::vector<std::string> vmFlags;  // VmFlags, two-letter codes ("rd", "hg", "nh", ...)
};

// Throws std::invalid_argument naming the first malformed line.
std::vector<SmapsVma> ParseSmaps(std::string_view text);

// pid 0 = this process. Throws SystemError (ENOENT: no such pid, EACCES: not allowed).
std::vector<SmapsVma> ReadSmaps(int pid);

}  // namespace thp::platform::procfs
