// Stamp-based exact LRU for wide sets; see stamp_lru.h.
#include "core/tlbsim/stamp_lru.h"

#include <algorithm>

#include "core/tlbsim/bits.h"

#if defined(__SSE2__) || defined(_M_X64)
#include <emmintrin.h>
#define THP_TLBSIM_SSE2 1
#endif

namespace thp::tlbsim {

StampLru::StampLru(uint32_t sets, uint32_t ways) : ways_(ways), stride_((ways + 7) / 8 * 8), clocks_(sets), floors_(sets) {
  ring_ = 64;
  while (ring_ < 2 * ways) ring_ <<= 1;
  stamps_.resize(uint64_t{sets} * stride_);
  holders_.assign(uint64_t{sets} * ring_, 0);
  order_.reserve(ways);
  Clear();
}

void StampLru::Clear() {
  std::fill(clocks_.begin(), clocks_.end(), uint16_t{0});
  std::fill(floors_.begin(), floors_.end(), kInvalid);
  for (uint64_t i = 0; i < stamps_.size(); ++i) stamps_[i] = (i % stride_) < ways_ ? kInvalid : kPad;
}

uint16_t StampLru::MinStamp(const uint16_t* s) const {
#ifdef THP_TLBSIM_SSE2
  // Stamps are below 0x8000, so SSE2's signed 16-bit minimum orders them correctly.
  __m128i low = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));
  for (uint32_t i = 8; i < stride_; i += 8) low = _mm_min_epi16(low, _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i)));
  low = _mm_min_epi16(low, _mm_shuffle_epi32(low, _MM_SHUFFLE(1, 0, 3, 2)));
  low = _mm_min_epi16(low, _mm_shuffle_epi32(low, _MM_SHUFFLE(2, 3, 0, 1)));
  low = _mm_min_epi16(low, _mm_shufflelo_epi16(low, _MM_SHUFFLE(2, 3, 0, 1)));
  return static_cast<uint16_t>(_mm_extract_epi16(low, 0));
#else
  uint16_t low = s[0];
  for (uint32_t w = 1; w < ways_; ++w) low = s[w] < low ? s[w] : low;
  return low;
#endif
}

int StampLru::FindStamp(const uint16_t* s, uint16_t stamp) const {
#ifdef THP_TLBSIM_SSE2
  const __m128i wanted = _mm_set1_epi16(static_cast<short>(stamp));
  for (uint32_t i = 0; i < stride_; i += 8) {
    const int mask = _mm_movemask_epi8(_mm_cmpeq_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i)), wanted));
    if (mask != 0) return static_cast<int>(i + LowestBit(static_cast<uint32_t>(mask)) / 2);  // two mask bits per stamp
  }
#else
  for (uint32_t w = 0; w < ways_; ++w) {
    if (s[w] == stamp) return static_cast<int>(w);
  }
#endif
  return -1;
}

uint32_t StampLru::VictimByScan(uint32_t set) {
  const uint16_t* s = &stamps_[uint64_t{set} * stride_];
  uint16_t& floor = floors_[set];
  // floor <= every stamp of the set, so a way holding it is the oldest; streams that fill
  // more than they hit find it at once, since their stamps are consecutive.
  int way = FindStamp(s, floor);
  if (way < 0) {
    floor = MinStamp(s);
    way = FindStamp(s, floor);
  }
  // The way is refilled next (a new, larger stamp). Valid stamps are unique, so every other
  // way's stamp is above floor; invalid ways all share kInvalid, so then floor must stay.
  if (floor != kInvalid) ++floor;
  return static_cast<uint32_t>(way);
}

void StampLru::Renumber(uint32_t set) {
  uint16_t* s = &stamps_[uint64_t{set} * stride_];
  order_.clear();
  for (uint32_t w = 0; w < ways_; ++w) {
    if (s[w] != kInvalid) order_.push_back(w);
  }
  std::sort(order_.begin(), order_.end(), [s](uint32_t a, uint32_t b) { return s[a] < s[b]; });
  uint32_t* ring = &holders_[uint64_t{set} * ring_];
  for (uint32_t i = 0; i < order_.size(); ++i) {
    s[order_[i]] = static_cast<uint16_t>(i + 1);
    ring[(i + 1) & (ring_ - 1)] = order_[i];
  }
  clocks_[set] = static_cast<uint16_t>(order_.size());
  floors_[set] = kInvalid;
}

}  // namespace thp::tlbsim
