#include "addon/errors.h"

#include <cerrno>

#include "platform/system_error.h"

namespace thp::addon {

std::string ErrnoName(int e) {
  switch (e) {
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case ESRCH: return "ESRCH";
    case EINTR: return "EINTR";
    case EIO: return "EIO";
    case EBADF: return "EBADF";
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case EBUSY: return "EBUSY";
    case EEXIST: return "EEXIST";
    case ENODEV: return "ENODEV";
    case EINVAL: return "EINVAL";
    case ENOSPC: return "ENOSPC";
    case ENOSYS: return "ENOSYS";
    case ENOTTY: return "ENOTTY";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    default: return "E" + std::to_string(e);
  }
}

Napi::Error ErrnoError(Napi::Env env, const std::string& syscall, int errnoValue, const std::string& detail) {
  std::string message = syscall + ": " + platform::ErrnoText(errnoValue);
  if (!detail.empty()) message += " (" + detail + ")";
  auto error = Napi::Error::New(env, message);
  error.Set("errno", ErrnoName(errnoValue));
  error.Set("syscall", syscall);
  return error;
}

}  // namespace thp::addon
