// Seeded randomness: the sampling addresses and split points (Documentation/mm/damon/design.rst, "Region Based Sampling"
// damon_rand, design.rst "PTE Accessed-bit Based Access Check", design.rst "Adaptive Regions Adjustment") come from here, so a seed makes a monitor fully deterministic.
#pragma once

#include <cstdint>

namespace thp::monitor {

// xoshiro256** seeded through splitmix64: fast, good quality, reproducible across platforms.
// A concrete class with its draws inline: the core draws once per region and sample, where an
// indirect call would cost about as much as the draw itself.
class SeededRandom {
 public:
  explicit SeededRandom(uint64_t seed);

  uint64_t Next() {
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

  // Uniform in [0, bound); bound > 0.
  uint64_t Below(uint64_t bound) {
#if defined(__SIZEOF_INT128__)
    // Lemire's multiply-shift: no division on the sampling hot path (two draws per region and
    // sample); the bias is below bound / 2^64, far under anything a sampler could notice.
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * bound) >> 64);
#else
    return Next() % bound;
#endif
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  uint64_t s_[4];
};

// damon_rand(l, r): uniform in [l, r).
// Deliberate difference: the kernel draws a 32-bit offset, so in regions of 4 GiB or more it
// never samples beyond the first 4 GiB; here the offset covers the whole region.
inline uint64_t RandomIn(SeededRandom& rng, uint64_t l, uint64_t r) { return l + rng.Below(r - l); }

}  // namespace thp::monitor
