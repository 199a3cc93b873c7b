// /proc/<pid>/smaps_rollup: the smaps fields summed over all VMAs of a process (Linux 4.14).
#pragma once

#include <cstdint>
#include <string_view>

#include "platform/linux/procfs/key_fields.h"

namespace thp::platform::procfs {

struct SmapsRollup {
  // The span from the lowest to the highest VMA (the "[rollup]" header); both 0 when the
  // process has no memory map (a kernel thread or a zombie, whose file is empty).
  uint64_t start = 0;
  uint64_t end = 0;
  KeyFields fields;  // "Rss", "Pss_Anon", "Anonymous", "AnonHugePages", ...
};

// Throws std::invalid_argument naming the first malformed line.
SmapsRollup ParseSmapsRollup(std::string_view text);

// pid 0 = this process. Throws SystemError (ENOENT: no such pid, EACCES: not allowed).
SmapsRollup ReadSmapsRollup(int pid);

}  // namespace thp::platform::procfs
