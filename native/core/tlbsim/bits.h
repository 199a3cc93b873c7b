// Bit scanning without depending on a compiler's builtins.
#pragma once

#include <cstdint>

#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
#endif

namespace thp::tlbsim {

// The index of the lowest set bit of a non-zero value.
inline unsigned LowestBit(uint64_t v) {
#if defined(_MSC_VER) && !defined(__clang__)
  unsigned long bit;
  _BitScanForward64(&bit, v);
  return static_cast<unsigned>(bit);
#else
  return static_cast<unsigned>(__builtin_ctzll(v));
#endif
}

}  // namespace thp::tlbsim
