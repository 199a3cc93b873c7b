// Small helpers for DAMON's sysfs tree (/sys/kernel/mm/damon/admin, Documentation/admin-guide/mm/damon/usage.rst, "sysfs Interface"):
// its numbered child directories ("0", "1", ...) and one-value files.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace thp::sources::kernel_damon {

inline constexpr const char* kAdminDir = "/sys/kernel/mm/damon/admin";

// The numbered entries of a directory, in numeric order; empty when it cannot be read.
std::vector<std::string> NumberedEntries(const std::string& dir);

// The value of a one-value file without the surrounding whitespace (and newline) sysfs adds.
std::string_view TrimValue(std::string_view text);

// The number in a one-number file's text ("4096\n"). Throws std::invalid_argument naming
// `path` unless the trimmed text is one unsigned decimal that fits 64 bits: a region bound
// read as 0 from garbage would silently move a snapshot.
uint64_t ParseNumber(std::string_view text, const std::string& path);

// Reads and writes retry for up to a second while DAMON's sysfs lock is busy (EBUSY).
// The file's text without surrounding whitespace. Throws SystemError.
std::string ReadValue(const std::string& path);
uint64_t ReadNumber(const std::string& path);

// Writes `value` in one write(2), as sysfs expects. Throws SystemError("write", errno, path).
void WriteValue(const std::string& path, const std::string& value);

bool IsDirectory(const std::string& path);

}  // namespace thp::sources::kernel_damon
