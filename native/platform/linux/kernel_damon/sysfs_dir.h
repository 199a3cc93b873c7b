// Small helpers for DAMON's sysfs tree (/sys/kernel/mm/damon/admin, damon-spec.md §7):
// its numbered child directories ("0", "1", ...) and one-value files.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace thp::platform::kernel_damon {

inline constexpr const char* kAdminDir = "/sys/kernel/mm/damon/admin";

// The numbered entries of a directory, in numeric order; empty when it cannot be read.
std::vector<std::string> NumberedEntries(const std::string& dir);

// Reads and writes retry for up to a second while DAMON's sysfs lock is busy (EBUSY).
// The file's text without surrounding whitespace. Throws SystemError.
std::string ReadValue(const std::string& path);
uint64_t ReadNumber(const std::string& path);

// Writes `value` in one write(2), as sysfs expects. Throws SystemError("write", errno, path).
void WriteValue(const std::string& path, const std::string& value);

bool IsDirectory(const std::string& path);

}  // namespace thp::platform::kernel_damon
