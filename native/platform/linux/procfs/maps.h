// /proc/<pid>/maps: one entry per virtual memory area (VMA) of a process.
// This API is used by other components (collapse classifies unmapped ranges with it); keep it
// stable.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace thp::platform::procfs {

struct Vma {
  uint64_t start = 0;   // first byte
  uint64_t end = 0;     // one past the last byte
  std::string perms;    // "rw-p": read, write, execute, p(rivate) or s(hared)
  uint64_t offset = 0;  // file offset of `start` (0 for anonymous memory)
  std::string dev;      // "fe:00", major:minor in hex as the kernel prints it
  uint64_t inode = 0;
  // File path, "[heap]", "[stack]", "[anon:name]", ... or empty for anonymous memory. Kept
  // as printed: spaces are preserved, a removed file ends with " (deleted)", and the kernel
  // escapes a newline in a name as "\012".
  std::string pathname;
};

// Parses the "start-end perms offset dev inode [pathname]" header of one maps/smaps line.
// False when the line is not such a header (e.g. a smaps "Key: value" line).
bool ParseVmaHeader(std::string_view line, Vma& vma);

// Parses a whole maps text. Throws std::invalid_argument naming the first malformed line.
std::vector<Vma> ParseMaps(std::string_view text);

// Reads /proc/<pid>/maps (pid 0 = this process). Throws SystemError (ENOENT: no such pid,
// EACCES: not allowed to read its memory map).
std::vector<Vma> ReadMaps(int pid);

}  // namespace thp::platform::procfs
