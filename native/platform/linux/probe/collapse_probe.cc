#include "platform/linux/probe/collapse_probe.h"

#include <sys/mman.h>
#include <sys/prctl.h>

#include <cerrno>
#include <ctime>
#include <string>

#include "platform/linux/uapi_compat.h"
#include "platform/system_error.h"

namespace thp::platform::probe {

namespace {

// Why a collapse failed, from the errno contract of madvise(2) for MADV_COLLAPSE.
std::string CollapseFailure(int error, int thpDisable) {
  std::string base = std::string("MADV_COLLAPSE of a test mapping failed with ") + ErrnoText(error);
  if (thpDisable > 0) return base + ": THP is disabled for this process (prctl PR_SET_THP_DISABLE)";
  switch (error) {
    case ENOMEM: return base + ": no free huge page could be allocated (memory low or fragmented)";
    case EBUSY: return base + ": the memory cgroup could not be charged for a huge page";
    case EAGAIN: return base + ": a transient kernel condition; it may work later";
    default: return base;
  }
}

// EAGAIN means a transient condition (a page briefly locked or off the LRU, common on a busy
// machine), not a missing feature, so the probe asks again a few times before it reports one.
int CollapseRetryingTransient(void* unit, size_t length) {
  constexpr int kAttempts = 10;
  constexpr struct timespec kPause = {0, 10'000'000};  // 10 ms
  for (int attempt = 1;; attempt++) {
    if (::madvise(unit, length, MADV_COLLAPSE) == 0) return 0;
    if (errno != EAGAIN || attempt == kAttempts) return -1;
    ::nanosleep(&kPause, nullptr);
  }
}

}  // namespace

CollapseProbe ProbeCollapse(uint64_t pmdSize) {
  CollapseProbe probe;
  int disabled = ::prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0);
  probe.thpDisable = disabled < 0 ? -1 : disabled;

  // A zero-length call is accepted only by kernels that know the advice (Linux 6.1+).
  if (::madvise(nullptr, 0, MADV_COLLAPSE) != 0) {
    probe.errnoValue = errno;
    probe.Fail(probe.errnoValue == EINVAL ? "the kernel does not know MADV_COLLAPSE (needs Linux 6.1 with THP)"
                                          : CollapseFailure(probe.errnoValue, probe.thpDisable));
    return probe;
  }
  size_t length = static_cast<size_t>(2 * pmdSize);
  void* mapping = ::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapping == MAP_FAILED) {
    probe.errnoValue = errno;
    probe.Fail(std::string("could not map a test area: ") + ErrnoText(probe.errnoValue));
    return probe;
  }
  auto base = reinterpret_cast<uintptr_t>(mapping);
  auto* unit = reinterpret_cast<char*>((base + pmdSize - 1) & ~(static_cast<uintptr_t>(pmdSize) - 1));
  unit[0] = 1;  // MADV_COLLAPSE needs at least one resident page in the unit
  if (CollapseRetryingTransient(unit, static_cast<size_t>(pmdSize)) == 0) {
    probe.supported = true;
  } else {
    probe.errnoValue = errno;
    probe.Fail(CollapseFailure(probe.errnoValue, probe.thpDisable));
  }
  ::munmap(mapping, length);
  return probe;
}

}  // namespace thp::platform::probe
