#include "platform/linux/procfs/proc_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "platform/steady_clock.h"
#include "platform/system_error.h"

namespace thp::platform::procfs {

std::string ProcPath(int pid, const char* leaf) {
  return (pid == 0 ? std::string("/proc/self/") : "/proc/" + std::to_string(pid) + "/") + leaf;
}

namespace {
// 0 on success, else the errno; `failedCall` names the call that failed. With `marks`, reads
// 4 KiB at a time and notes when each read began.
int ReadAll(const std::string& path, std::string& text, const char*& failedCall, std::vector<ReadMark>* marks = nullptr) {
  failedCall = "open";
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  failedCall = "read";
  text.clear();
  char buffer[64 * 1024];
  const size_t chunk = marks == nullptr ? sizeof buffer : 4096;
  for (;;) {
    if (marks != nullptr) marks->push_back({text.size(), platform::SteadyNowNs()});
    ssize_t n = ::read(fd, buffer, chunk);
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

std::string ReadTextFileTimed(const std::string& path, std::vector<ReadMark>& marks) {
  std::string text;
  const char* failedCall = nullptr;
  marks.clear();
  if (int error = ReadAll(path, text, failedCall, &marks)) throw SystemError(failedCall, error, path);
  return text;
}

uint64_t TimeOfOffset(const std::vector<ReadMark>& marks, size_t offset) {
  auto it = std::upper_bound(marks.begin(), marks.end(), offset, [](size_t o, const ReadMark& m) { return o < m.offset; });
  return it == marks.begin() ? 0 : (it - 1)->start_ns;
}

}  // namespace thp::platform::procfs
