// The privileges that decide what this process may do to other processes.
#pragma once

#include <cstdint>

namespace thp::platform::probe {

struct Privileges {
  uint32_t euid = 0;
  uint64_t capEff = 0;        // CapEff of /proc/self/status
  bool capSysAdmin = false;   // DAMON sysfs, full pagemap PFNs
  bool capSysPtrace = false;  // PTRACE_MODE_READ on other users' processes (smaps, process_madvise)
  bool capSysNice = false;    // process_madvise on another process (mm/madvise.c)
  int64_t ptraceScope = -1;   // /proc/sys/kernel/yama/ptrace_scope, -1 without Yama
};

Privileges ProbePrivileges();

}  // namespace thp::platform::probe
