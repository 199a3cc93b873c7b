// Whole-file reads of /proc and /sys text files, with the errno of a failure kept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace thp::platform::procfs {

// "/proc/self/<leaf>" for pid 0, else "/proc/<pid>/<leaf>".
std::string ProcPath(int pid, const char* leaf);

// Reads the whole file into `text`; returns 0, or the errno of the failed open/read.
int TryReadTextFile(const std::string& path, std::string& text);

// The whole content of a (pseudo-)file. /proc files report size 0, so this reads until EOF.
// Throws SystemError("open" or "read", errno, path).
std::string ReadTextFile(const std::string& path);

// Where a timed read stood when one read(2) call began: the text read before it, and when
// (platform::SteadyNowNs()).
struct ReadMark {
  size_t offset = 0;
  uint64_t start_ns = 0;
};

// ReadTextFile 4 KiB per read(2), noting when each began. A /proc file made record by record as
// it is read (a seq_file, like smaps) has each record made by the call that returns its first
// byte or by the one before, so TimeOfOffset() dates a record to within one call.
std::string ReadTextFileTimed(const std::string& path, std::vector<ReadMark>& marks);

// When the read(2) call that returned byte `offset` began (0 before the first mark).
uint64_t TimeOfOffset(const std::vector<ReadMark>& marks, size_t offset);

}  // namespace thp::platform::procfs
