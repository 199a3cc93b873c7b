#include "core/monitor/random.h"

namespace thp::monitor {

namespace {
uint64_t SplitMix(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

SeededRandom::SeededRandom(uint64_t seed) {
  for (auto& s : s_) s = SplitMix(seed);
}

uint64_t SeededRandom::Next() {
  const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

uint64_t SeededRandom::Below(uint64_t bound) {
#if defined(__SIZEOF_INT128__)
  // Lemire's multiply-shift: no division on the sampling hot path (two draws per region and
  // sample); the bias is below bound / 2^64, far under anything a sampler could notice.
  return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * bound) >> 64);
#else
  return Next() % bound;
#endif
}

}  // namespace thp::monitor
