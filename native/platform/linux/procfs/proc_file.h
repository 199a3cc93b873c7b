// Whole-file reads of /proc and /sys text files, with the errno of a failure kept.
#pragma once

#include <string>

namespace thp::platform::procfs {

// "/proc/self/<leaf>" for pid 0, else "/proc/<pid>/<leaf>".
std::string ProcPath(int pid, const char* leaf);

// Reads the whole file into `text`; returns 0, or the errno of the failed open/read.
int TryReadTextFile(const std::string& path, std::string& text);

// The whole content of a (pseudo-)file. /proc files report size 0, so this reads until EOF.
// Throws SystemError("open" or "read", errno, path).
std::string ReadTextFile(const std::string& path);

}  // namespace thp::platform::procfs
