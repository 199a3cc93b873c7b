// Synthetic access streams. Each generator yields byte addresses inside [base, base+bytes),
// aligned to `granule` (the access size), plus a write flag, and is reproducible from its seed.
//
// Kinds:
//   uniform       independent uniform slots
//   zipf          slot popularity ~ 1/rank^theta (rejection-inversion sampling, Hoermann and
//                 Derflinger 1996), ranks scattered over the range by a fixed bijection
//   sequential    slot after slot, wrapping
//   strided       every `stride` bytes, shifting by one granule per lap
//   chase         a pointer chase: each address depends on the previous one (a full-period
//                 congruential permutation of the slots, so every slot is visited once per lap)
//   hotcold       a fraction `hot_fraction` of the range (at its start) gets `hot_share` of accesses
//   phases        hotcold whose hot set moves to the next hot-sized window every `phase_length` accesses
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/tlbsim/rng.h"

namespace thp::tlbsim {

enum class WorkloadKind : uint8_t { kUniform, kZipf, kSequential, kStrided, kChase, kHotCold, kPhases };

struct WorkloadSpec {
  WorkloadKind kind = WorkloadKind::kUniform;
  uint64_t base = 0;
  uint64_t bytes = 0;
  uint64_t granule = 8;
  uint64_t seed = 1;
  double write_fraction = 0;
  double theta = 0.99;              // zipf
  uint64_t stride = 4096;           // strided
  double hot_fraction = 0.1;        // hotcold, phases
  double hot_share = 0.9;           // hotcold, phases
  uint64_t phase_length = 1000000;  // phases
};

class ZipfSampler {
 public:
  ZipfSampler(uint64_t n, double theta);
  // A rank in [1, n]; rank 1 is the most popular.
  uint64_t Sample(Rng& rng) const;

 private:
  double H(double x) const;
  double HIntegral(double x) const;
  double HIntegralInverse(double x) const;
  uint64_t n_;
  double theta_;
  double h_integral_x1_;
  double h_integral_n_;
  double s_;
};

class WorkloadGenerator {
 public:
  explicit WorkloadGenerator(const WorkloadSpec& spec);
  // Writes the next n accesses.
  void Fill(uint64_t* addrs, uint8_t* writes, size_t n);

 private:
  // The kind is a template argument so that each kind's loop is compiled on its own, with no
  // per-access dispatch (the generator feeds the simulator's tightest loop).
  template <WorkloadKind kKind>
  void FillAs(uint64_t* addrs, uint8_t* writes, size_t n);
  template <WorkloadKind kKind>
  uint64_t NextSlot();
  uint64_t Scatter(uint64_t rank) const;  // bijection on [0, slots_)

  WorkloadSpec spec_;
  Rng rng_;
  uint64_t slots_;
  uint64_t index_ = 0;   // accesses generated so far
  uint64_t cursor_ = 0;  // sequential / strided / chase state
  uint64_t lap_ = 0;
  uint64_t pow2_mask_ = 0;  // chase and scatter domain: next power of two >= slots_, minus one
  unsigned pow2_bits_ = 0;
  uint64_t hot_slots_ = 1;  // hotcold / phases: slots in the hot part
  ZipfSampler zipf_;
};

}  // namespace thp::tlbsim
