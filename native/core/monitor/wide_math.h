// Integer arithmetic whose intermediate products exceed 64 bits: region sizes reach 2^47 and
// counters 2^32. The kernel computes these in unsigned long and could wrap on such sizes
// (deliberate difference: exact here).
#pragma once

#include <cstdint>

namespace thp::monitor {

#if defined(__SIZEOF_INT128__)
using Wide = unsigned __int128;
#else
using Wide = long double;  // 64-bit mantissa: exact enough for the ratios computed here
#endif

// a * b / c, floored.
inline uint64_t MulDiv(uint64_t a, uint64_t b, uint64_t c) { return static_cast<uint64_t>(static_cast<Wide>(a) * b / c); }

// Size-weighted integer average (a*wa + b*wb) / (wa + wb), floored.
inline uint64_t WeightedAverage(uint64_t a, uint64_t wa, uint64_t b, uint64_t wb) {
  return static_cast<uint64_t>((static_cast<Wide>(a) * wa + static_cast<Wide>(b) * wb) / (static_cast<Wide>(wa) + wb));
}

}  // namespace thp::monitor
