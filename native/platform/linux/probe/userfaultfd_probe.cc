#include "platform/linux/probe/userfaultfd_probe.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

#include "platform/linux/probe/status_fields.h"
#include "platform/linux/uapi_compat.h"
#include "platform/system_error.h"

namespace thp::platform::probe {

namespace {

long OpenUserfaultfd(int flags) { return ::syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | flags); }

// EPERM has two sources: the vm.unprivileged_userfaultfd sysctl (only for descriptors that
// may handle kernel faults, i.e. without UFFD_USER_MODE_ONLY, unless CAP_SYS_PTRACE) and a
// seccomp filter (Docker and Kubernetes default profiles gate userfaultfd).
std::string DeniedReason(const UserfaultfdProbe& probe) {
  std::string reason = "userfaultfd was refused (" + std::string(ErrnoText(probe.errnoValue)) + ")";
  if (!probe.userModeOnly && probe.unprivilegedSysctl == 0) {
    reason += ": vm.unprivileged_userfaultfd is 0 and this kernel lacks UFFD_USER_MODE_ONLY";
  } else if (probe.seccompMode > 0) {
    reason += ": a seccomp filter (Seccomp mode " + std::to_string(probe.seccompMode) + ") blocks it";
  } else {
    reason += ": blocked by a security module or policy";
  }
  return reason;
}

}  // namespace

UserfaultfdProbe ProbeUserfaultfd() {
  UserfaultfdProbe probe;
  probe.unprivilegedSysctl = ReadSmallNumber("/proc/sys/vm/unprivileged_userfaultfd");
  std::string seccomp = SelfStatusField("Seccomp");
  probe.seccompMode = seccomp.empty() ? -1 : std::strtol(seccomp.c_str(), nullptr, 10);

  probe.userModeOnly = true;
  long fd = OpenUserfaultfd(UFFD_USER_MODE_ONLY);
  if (fd < 0 && errno == EINVAL) {  // kernels before 5.11 reject the flag
    probe.userModeOnly = false;
    fd = OpenUserfaultfd(0);
  }
  if (fd < 0) {
    probe.errnoValue = errno;
    if (probe.errnoValue == ENOSYS) {
      probe.Fail(probe.seccompMode > 0 ? "userfaultfd is not available: ENOSYS (no CONFIG_USERFAULTFD, or a seccomp filter)"
                                       : "the kernel was built without userfaultfd (CONFIG_USERFAULTFD)");
    } else if (probe.errnoValue == EPERM || probe.errnoValue == EACCES) {
      probe.Fail(DeniedReason(probe));
    } else {
      probe.Fail(std::string("userfaultfd failed: ") + ErrnoText(probe.errnoValue));
    }
    return probe;
  }
  probe.opened = true;
  uffdio_api api{};
  api.api = UFFD_API;
  api.features = 0;  // ask for nothing: the kernel answers with every feature it offers
  if (::ioctl(static_cast<int>(fd), UFFDIO_API, &api) != 0) {
    probe.errnoValue = errno;
    probe.Fail(std::string("UFFDIO_API failed: ") + ErrnoText(probe.errnoValue));
  } else {
    probe.features = api.features;
    probe.wpAsync = (api.features & UFFD_FEATURE_WP_ASYNC) != 0;
    probe.wpUnpopulated = (api.features & UFFD_FEATURE_WP_UNPOPULATED) != 0;
    if (probe.wpAsync) {
      probe.supported = true;
    } else {
      probe.Fail("userfaultfd works but lacks asynchronous write-protect (UFFD_FEATURE_WP_ASYNC needs Linux 6.7)");
    }
  }
  ::close(static_cast<int>(fd));
  return probe;
}

}  // namespace thp::platform::probe
