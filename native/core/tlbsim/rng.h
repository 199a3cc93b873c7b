// Small, fast, seedable generator (SplitMix64) and helpers: every workload draws from one of
// these so that a seed reproduces a run exactly on every platform.
#pragma once

#include <cstdint>

namespace thp::tlbsim {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) (n > 0), by the multiply-shift method.
  uint64_t Below(uint64_t n) {
#ifdef __SIZEOF_INT128__
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
#else
    return static_cast<uint64_t>(Unit() * static_cast<double>(n)) % n;
#endif
  }
  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

 private:
  uint64_t state_;
};

}  // namespace thp::tlbsim
