// The "Key:   value [kB]" blocks shared by smaps, smaps_rollup and meminfo.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace thp::platform::procfs {

struct KeyFields {
  std::map<std::string, uint64_t> bytes;     // values printed in kB, converted to bytes
  std::map<std::string, uint64_t> counts;    // unitless numbers ("HugePages_Total", "ProtectionKey")
  std::map<std::string, std::string> texts;  // anything else, trimmed ("VmFlags" is parsed separately)
};

// Adds one "Key: value" line to `fields`. False when the line has no "Key:" prefix or a kB
// value that does not fit 64 bits once in bytes.
bool AddKeyFieldLine(std::string_view line, KeyFields& fields);

}  // namespace thp::platform::procfs
