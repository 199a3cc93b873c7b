// The process an operation acts on: this one (plain madvise) or another one reached through
// a pidfd and process_madvise(2), which needs PTRACE_MODE_READ access and CAP_SYS_NICE.
#pragma once
#include "platform/linux/memory/address_range.h"
#include "platform/linux/memory/advice.h"

namespace thp::platform {

class TargetProcess {
 public:
  // pid 0 or getpid() means this process. Throws SystemError("pidfd_open", ESRCH, ...)
  // when the process does not exist.
  explicit TargetProcess(int pid);
  ~TargetProcess();
  TargetProcess(const TargetProcess&) = delete;
  TargetProcess& operator=(const TargetProcess&) = delete;

  bool is_self() const { return pidfd_ < 0; }
  // 0 for this process (procfs::ProcPath reads that as "self").
  int pid() const { return pid_; }

  // Applies advice to the range; returns 0 or the errno, so callers that want per-unit
  // outcomes (collapse) can classify failures without exceptions.
  int TryAdvise(const AddressRange& range, Advice advice) const;

 private:
  int pid_ = 0;
  int pidfd_ = -1;
};

}  // namespace thp::platform
