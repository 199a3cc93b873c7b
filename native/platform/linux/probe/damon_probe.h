// Kernel DAMON: whether its sysfs interface exists (and may be written by us) and whether its
// "vaddr" operations set (monitoring a process's virtual addresses) is built in. Read only:
// no kdamond is created to ask.
#pragma once

#include <cstdint>
#include <string>

#include "platform/linux/probe/support.h"

namespace thp::platform::probe {

struct DamonProbe : Support {
  bool sysfs = false;       // /sys/kernel/mm/damon/admin exists
  int64_t nrKdamonds = -1;  // kdamonds/nr_kdamonds, -1 when unreadable
  int vaddr = -1;           // 1 built in, 0 not built in, -1 unknown from the evidence read here
  // Where the vaddr answer comes from: "avail_operations" (an existing DAMON context lists
  // its operations), "kallsyms" (the kernel's symbol table), or "" when neither told.
  std::string vaddrEvidence;
};

DamonProbe ProbeDamon();

}  // namespace thp::platform::probe
