#include "platform/thread_cpu.h"

namespace thp::platform {

// Per-thread CPU clocks are OS-specific; this build reports none (benchmarks say so).
uint64_t ThreadCpuTimeNs() { return 0; }

}  // namespace thp::platform
