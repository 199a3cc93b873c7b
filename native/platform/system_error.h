// A failed system call, thrown by platform code and turned into a JS error (with `errno`,
// `syscall` and `path`) by the addon layer. Portable: only the numeric errno crosses here.
#pragma once

#include <stdexcept>
#include <string>
#include <system_error>

namespace thp::platform {

// The text of an errno value ("Too many open files"). Unlike std::strerror, safe to call from
// the monitor threads while another thread does the same.
inline std::string ErrnoText(int errnoValue) { return std::generic_category().message(errnoValue); }

class SystemError : public std::runtime_error {
 public:
  SystemError(std::string syscall, int errnoValue, std::string path)
      : std::runtime_error(syscall + " " + path + ": " + ErrnoText(errnoValue)),
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
