// /proc/pressure/memory: pressure stall information (PSI, Documentation/accounting/psi.rst).
#pragma once

#include <cstdint>
#include <string_view>

namespace thp::platform::procfs {

struct PressureLine {
  bool present = false;  // the kernel printed this line ("full" is absent for cpu on old kernels)
  double avg10 = 0;      // share of wall time stalled, in percent, over 10 s / 60 s / 300 s
  double avg60 = 0;
  double avg300 = 0;
  uint64_t totalMicros = 0;  // total stall time since boot
};

struct Pressure {
  PressureLine some;  // at least one task stalled on memory
  PressureLine full;  // all non-idle tasks stalled at once
};

// Throws std::invalid_argument naming the first malformed line.
Pressure ParsePressure(std::string_view text);

// Throws SystemError (ENOENT without CONFIG_PSI, EOPNOTSUPP when booted with psi=0).
Pressure ReadMemoryPressure();

}  // namespace thp::platform::procfs
