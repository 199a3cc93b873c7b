#include "platform/thread_cpu.h"

#include <time.h>

namespace thp::platform {

uint64_t ThreadCpuTimeNs() {
  timespec ts{};
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) return 0;
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ULL + static_cast<uint64_t>(ts.tv_nsec);
}

}  // namespace thp::platform
