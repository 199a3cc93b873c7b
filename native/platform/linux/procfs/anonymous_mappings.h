// The anonymous private mappings of a process, as the tuner sees them: read from
// /proc/<pid>/smaps (Documentation/filesystems/proc.rst) and reduced here, so that a process
// split into thousands of VMAs (the referenced source makes one per 2 MiB cell) hands the
// tuner a few mappings instead of thousands of full smaps entries every ops update.
#pragma once

#include <cstdint>
#include <vector>

#include "platform/linux/procfs/smaps.h"

namespace thp::platform::procfs {

struct AnonymousMapping {
  uint64_t start = 0;
  uint64_t end = 0;
  uint64_t anonymous_bytes = 0;  // smaps "Anonymous", summed over the VMAs taken as one
  bool collapsible = false;      // writable and not MADV_NOHUGEPAGE ("nh")
};

// Private mappings with no file behind them (the heap and [anon:name] included; [stack],
// [vdso] and the other special mappings left out). Neighbours that meet at a multiple of
// `unit` with the same permissions and collapsibility are taken as one mapping: a VMA split
// at unit boundaries (by the referenced source, or by the program's own madvise) stays the
// mapping it was, and no unit straddles such a seam.
std::vector<AnonymousMapping> AnonymousMappings(const std::vector<SmapsVma>& vmas, uint64_t unit);

// AnonymousMappings of the smaps of `pid` (0 = this process), in 2 MiB units. Throws
// SystemError (ENOENT: no such pid, EACCES: not allowed).
std::vector<AnonymousMapping> ReadAnonymousMappings(int pid);

}  // namespace thp::platform::procfs
