// CPU time of the calling thread, for measuring what a monitor thread costs.
#pragma once

#include <cstdint>

namespace thp::platform {

// Nanoseconds of CPU time the calling thread has used; 0 where the OS cannot tell.
uint64_t ThreadCpuTimeNs();

}  // namespace thp::platform
