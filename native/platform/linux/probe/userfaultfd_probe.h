// Whether userfaultfd with asynchronous write-protect (UFFD_FEATURE_WP_ASYNC, Linux 6.7) is
// usable by this process, and if not what blocks it.
#pragma once

#include <cstdint>

#include "platform/linux/probe/support.h"

namespace thp::platform::probe {

struct UserfaultfdProbe : Support {
  int errnoValue = 0;               // errno of the failed call, 0 when none failed
  bool opened = false;              // the syscall returned a descriptor
  bool userModeOnly = false;        // opened with UFFD_USER_MODE_ONLY (no privilege needed, 5.11+)
  uint64_t features = 0;            // UFFDIO_API features the kernel offers
  bool wpAsync = false;             // UFFD_FEATURE_WP_ASYNC
  bool wpUnpopulated = false;       // UFFD_FEATURE_WP_UNPOPULATED
  int64_t unprivilegedSysctl = -1;  // /proc/sys/vm/unprivileged_userfaultfd, -1 when unreadable
  int64_t seccompMode = -1;         // Seccomp of /proc/self/status: 0 none, 1 strict, 2 filter
};

UserfaultfdProbe ProbeUserfaultfd();

}  // namespace thp::platform::probe
