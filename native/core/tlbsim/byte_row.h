// Sixteen one-byte lanes handled at once: the per-way fingerprints and recency ranks of a
// narrow set (narrow_sets.h). SSE2 (part of every x86-64) does each operation in a few
// instructions; other targets get plain loops over the lanes with the same results.
// Lane values stay below 0x80, so signed byte compares order them correctly.
#pragma once

#include <cstdint>

#include "core/tlbsim/bits.h"

#if defined(__SSE2__) || defined(_M_X64)
#include <emmintrin.h>
#define THP_TLBSIM_BYTE_ROW_SSE2 1
#endif

namespace thp::tlbsim {

#ifdef THP_TLBSIM_BYTE_ROW_SSE2
namespace byte_row_detail {
// SSE2 has no single-instruction byte broadcast (it takes four), so rows of one repeated value
// (every lane value below 0x80) and rows selecting one lane come from these tables instead.
struct Tables {
  alignas(16) uint8_t splat[128][16];
  alignas(16) uint8_t lane[16][16];
};
constexpr Tables MakeTables() {
  Tables t{};
  for (int v = 0; v < 128; ++v) {
    for (int i = 0; i < 16; ++i) t.splat[v][i] = static_cast<uint8_t>(v);
  }
  for (int l = 0; l < 16; ++l) {
    for (int i = 0; i < 16; ++i) t.lane[l][i] = i == l ? 0xFF : 0;
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
    for (uint32_t i = 0; i < kLanes; ++i) r.v_[i] = p[i];
    return r;
#endif
  }
  void Store(uint8_t* p) const {
#ifdef THP_TLBSIM_BYTE_ROW_SSE2
    _mm_store_si128(reinterpret_cast<__m128i*>(p), v_);
#else
    for (uint32_t i = 0; i < kLanes; ++i) p[i] = v_[i];
#endif
  }
  // Bit i set where lane i equals b.
  uint32_t EqualMask(uint8_t b) const {
#ifdef THP_TLBSIM_BYTE_ROW_SSE2
    return static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v_, Splat(b))));
#else
    uint32_t m = 0;
    for (uint32_t i = 0; i < kLanes; ++i) m |= uint32_t{v_[i] == b} << i;
    return m;
#endif
  }
  // Adds one to every lane below b.
  ByteRow AgeBelow(uint8_t b) const {
#ifdef THP_TLBSIM_BYTE_ROW_SSE2
    // The compare yields -1 in the lanes below b: subtracting it adds one.
    return ByteRow(_mm_sub_epi8(v_, _mm_cmpgt_epi8(Splat(b), v_)));
#else
    ByteRow r = *this;
    for (uint32_t i = 0; i < kLanes; ++i) r.v_[i] = static_cast<uint8_t>(v_[i] + (v_[i] < b ? 1 : 0));
    return r;
#endif
  }
  // This row with lane `lane` replaced by b.
  ByteRow WithLane(uint32_t lane, uint8_t b) const {
#ifdef THP_TLBSIM_BYTE_ROW_SSE2
    const __m128i at = _mm_load_si128(reinterpret_cast<const __m128i*>(byte_row_detail::kTables.lane[lane]));
    return ByteRow(_mm_or_si128(_mm_andnot_si128(at, v_), _mm_and_si128(at, Splat(b))));
#else
    ByteRow r = *this;
    r.v_[lane] = b;
    return r;
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
  ByteRow() = default;
  uint8_t v_[kLanes];
#endif
};

}  // namespace thp::tlbsim
