#include "platform/linux/procfs/proc_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "platform/system_error.h"

namespace thp::platform::procfs {

std::string ProcPath(int pid, const char* leaf) {
  return (pid == 0 ? std::string("/proc/self/") : "/proc/" + std::to_string(pid) + "/") + leaf;
}

namespace {
// 0 on success, else the errno; `failedCall` names the call that failed.
int ReadAll(const std::string& path, std::string& text, const char*& failedCall) {
  failedCall = "open";
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  failedCall = "read";
  text.clear();
  char buffer[64 * 1024];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      text.append(buffer, static_cast<size_t>(n));
    } else if (n == 0) {
      break;
    } else if (errno != EINTR) {
      int saved = errno;
      ::close(fd);
      return saved;
    }
  }
  ::close(fd);
  return 0;
}
}  // namespace

int TryReadTextFile(const std::string& path, std::string& text) {
  const char* failedCall = nullptr;
  return ReadAll(path, text, failedCall);
}

std::string ReadTextFile(const std::string& path) {
  std::string text;
  const char* failedCall = nullptr;
  if (int error = ReadAll(path, text, failedCall)) throw SystemError(failedCall, error, path);
  return text;
}

}  // namespace thp::platform::procfs
