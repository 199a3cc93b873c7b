#include "platform/linux/memory/target_process.h"

#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "platform/linux/uapi_compat.h"
#include "platform/system_error.h"

namespace thp::platform {

TargetProcess::TargetProcess(int pid) {
  if (pid == 0 || pid == getpid()) return;
  pid_ = pid;
  pidfd_ = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (pidfd_ < 0) throw SystemError("pidfd_open", errno, "pid " + std::to_string(pid));
}

TargetProcess::~TargetProcess() {
  if (pidfd_ >= 0) close(pidfd_);
}

int TargetProcess::TryAdvise(const AddressRange& range, Advice advice) const {
  if (is_self()) {
    return madvise(reinterpret_cast<void*>(range.start), range.length, AdviceValue(advice)) == 0 ? 0 : errno;
  }
  iovec vec{reinterpret_cast<void*>(range.start), range.length};
  const long advised = syscall(SYS_process_madvise, pidfd_, &vec, 1, AdviceValue(advice), 0);
  return advised < 0 ? errno : 0;
}

}  // namespace thp::platform
