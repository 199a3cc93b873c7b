// Sixteen one-byte lanes compared at once: the per-way key fingerprints of a narrow set
// (narrow_sets.h). SSE2 (part of every x86-64) does it in a few instructions; other targets
// treat the row as two 64-bit words of eight lanes (SWAR) with the same results. Lane values
// stay below 0x80.
#pragma once

#include <cstdint>
#include <cstring>

#include "core/tlbsim/bits.h"

#if defined(__SSE2__) || defined(_M_X64)
#include <emmintrin.h>
#define THP_TLBSIM_BYTE_ROW_SSE2 1
#endif

namespace thp::tlbsim {

#ifdef THP_TLBSIM_BYTE_ROW_SSE2
namespace byte_row_detail {
// SSE2 has no single-instruction byte broadcast (it takes four), so rows of one repeated value
// (every lane value below 0x80) come from this table instead.
struct Tables {
  alignas(16) uint8_t splat[128][16];
};
constexpr Tables MakeTables() {
  Tables t{};
  for (int v = 0; v < 128; ++v) {
    for (int i = 0; i < 16; ++i) t.splat[v][i] = static_cast<uint8_t>(v);
  }
  return t;
}
inline constexpr Tables kTables = MakeTables();
}  // namespace byte_row_detail
#endif

class ByteRow {
 public:
  static constexpr uint32_t kLanes = 16;

  static ByteRow Load(const uint8_t* p) {
#ifdef THP_TLBSIM_BYTE_ROW_SSE2
    return ByteRow(_mm_load_si128(reinterpret_cast<const __m128i*>(p)));
#else
    ByteRow r;
    std::memcpy(r.w_, p, sizeof(r.w_));
    return r;
#endif
  }
  // Bit i set where lane i equals b.
  uint32_t EqualMask(uint8_t b) const {
#ifdef THP_TLBSIM_BYTE_ROW_SSE2
    return static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v_, Splat(b))));
#else
    return PackHighBits(Equal(w_[0], b)) | PackHighBits(Equal(w_[1], b)) << 8;
#endif
  }
  // The lowest lane whose bit is set in a non-zero mask.
  static uint32_t FirstLane(uint32_t mask) { return LowestBit(mask); }

 private:
#ifdef THP_TLBSIM_BYTE_ROW_SSE2
  explicit ByteRow(__m128i v) : v_(v) {}
  static __m128i Splat(uint8_t b) {
    return _mm_load_si128(reinterpret_cast<const __m128i*>(byte_row_detail::kTables.splat[b & 0x7F]));
  }
  __m128i v_;
#else
  static constexpr uint64_t kOnes = 0x0101010101010101ull;
  static constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7Full;
  static uint64_t Broadcast(uint8_t b) { return kOnes * b; }
  // 0x80 in each lane of w equal to b, 0 elsewhere.
  static uint64_t Equal(uint64_t w, uint8_t b) {
    const uint64_t x = w ^ Broadcast(b);
    return ~(((x & kLow7) + kLow7) | x | kLow7);
  }
  // Lane i's 0x80 bit becomes bit i of the result (the multiply gathers them in the top byte).
  static uint32_t PackHighBits(uint64_t high) { return static_cast<uint32_t>((high * 0x0002040810204081ull) >> 56); }
  ByteRow() = default;
  uint64_t w_[2];  // lanes 0-7, lanes 8-15 (lane i in bits 8i..8i+7 of its word)
#endif
};

}  // namespace thp::tlbsim
