// Injected randomness: the sampling addresses and split points (damon-spec.md §1.1
// damon_rand, §3.2, §4.3) come from here, so a seed makes a monitor fully deterministic.
#pragma once

#include <cstdint>

namespace thp::monitor {

class Random {
 public:
  virtual ~Random() = default;
  // Uniform in [0, bound); bound > 0.
  virtual uint64_t Below(uint64_t bound) = 0;
};

// damon_rand(l, r): uniform in [l, r).
// Deliberate difference: the kernel draws a 32-bit offset, so in regions of 4 GiB or more it
// never samples beyond the first 4 GiB; here the offset covers the whole region.
inline uint64_t RandomIn(Random& rng, uint64_t l, uint64_t r) { return l + rng.Below(r - l); }

// xoshiro256** seeded through splitmix64: fast, good quality, reproducible across platforms.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(uint64_t seed);
  uint64_t Next();
  uint64_t Below(uint64_t bound) override;

 private:
  uint64_t s_[4];
};

}  // namespace thp::monitor
