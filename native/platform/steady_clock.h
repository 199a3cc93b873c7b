// The monotonic clock every native timestamp uses (steady_clock: the clock of Node's
// process.hrtime, so times handed to JS line up with it).
#pragma once

#include <chrono>
#include <cstdint>

namespace thp::platform {

inline uint64_t SteadyNowNs() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count());
}

}  // namespace thp::platform
