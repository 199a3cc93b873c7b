// /proc/vmstat: "name value" counters of the memory manager (THP, compaction, ...).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace thp::platform::procfs {

// Every counter of the file, as the unsigned value the kernel prints. Throws
// std::invalid_argument naming the first malformed line.
std::map<std::string, uint64_t> ParseVmstat(std::string_view text);

// Throws SystemError.
std::map<std::string, uint64_t> ReadVmstat();

}  // namespace thp::platform::procfs
