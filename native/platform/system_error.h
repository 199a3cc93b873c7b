// A failed system call, thrown by platform code and turned into a JS error (with `errno`,
// `syscall` and `path`) by the addon layer. Portable: only the numeric errno crosses here.
#pragma once

#include <cstring>
#include <stdexcept>
#include <string>

namespace thp::platform {

class SystemError : public std::runtime_error {
 public:
  SystemError(std::string syscall, int errnoValue, std::string path)
      : std::runtime_error(syscall + " " + path + ": " + std::strerror(errnoValue)),
        syscall_(std::move(syscall)),
        errno_(errnoValue),
        path_(std::move(path)) {}

  const std::string& syscall() const { return syscall_; }
  int errnoValue() const { return errno_; }
  // The file or object the call was about ("/proc/42/smaps"); may be empty.
  const std::string& path() const { return path_; }

 private:
  std::string syscall_;
  int errno_;
  std::string path_;
};

}  // namespace thp::platform
