// SWAR helpers: a uint64_t as eight one-byte lanes (lane i = bits 8i..8i+7), so that the
// per-way bytes of a narrow set are matched and updated eight at a time without SIMD
// intrinsics. Every helper assumes lane values below 0x80 unless it says otherwise.
#pragma once

#include <cstdint>

#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
#endif

namespace thp::tlbsim::lanes {

constexpr uint64_t kOnes = 0x0101010101010101ull;
constexpr uint64_t kHigh = 0x8080808080808080ull;
constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7Full;

constexpr uint64_t Broadcast(uint8_t b) { return kOnes * b; }

// 0x80 in each lane equal to b, 0 elsewhere (exact for any lane values).
inline uint64_t Equal(uint64_t w, uint8_t b) {
  const uint64_t x = w ^ Broadcast(b);
  return ~(((x & kLow7) + kLow7) | x | kLow7);
}
// 0x80 in each lane >= b (lanes and b below 0x80).
inline uint64_t AtLeast(uint64_t w, uint8_t b) { return ((w | kHigh) - Broadcast(b)) & kHigh; }

inline uint8_t Get(uint64_t w, unsigned lane) { return static_cast<uint8_t>(w >> (8 * lane)); }
inline uint64_t Set(uint64_t w, unsigned lane, uint8_t b) {
  return (w & ~(uint64_t{0xFF} << (8 * lane))) | (uint64_t{b} << (8 * lane));
}

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

// The lowest lane flagged (0x80) in a non-zero mask.
inline unsigned FirstLane(uint64_t mask) { return LowestBit(mask) / 8; }

}  // namespace thp::tlbsim::lanes
