// Single fields of /proc/self/status and single-number sysctl files, for the probes.
#pragma once

#include <cstdint>
#include <string>

namespace thp::platform::probe {

// The value text of "Key:\tvalue" in /proc/self/status, or empty when absent.
std::string SelfStatusField(const std::string& key);

// The first number of a one-number file (/proc/sys/...); -1 when it cannot be read.
int64_t ReadSmallNumber(const std::string& path);

}  // namespace thp::platform::probe
