// /proc/meminfo: system-wide memory counters.
#pragma once

#include <string_view>

#include "platform/linux/procfs/key_fields.h"

namespace thp::platform::procfs {

// Throws std::invalid_argument naming the first malformed line.
KeyFields ParseMeminfo(std::string_view text);

// Throws SystemError.
KeyFields ReadMeminfo();

}  // namespace thp::platform::procfs
