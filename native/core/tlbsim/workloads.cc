// Synthetic access streams; see workloads.h.
#include "core/tlbsim/workloads.h"

#include <cmath>

namespace thp::tlbsim {

namespace {
// log1p(x)/x and expm1(x)/x, accurate near 0 (the sampler's helper functions).
double Log1pOverX(double x) { return std::fabs(x) > 1e-8 ? std::log1p(x) / x : 1 - x * (0.5 - x * (1.0 / 3 - 0.25 * x)); }
double Expm1OverX(double x) { return std::fabs(x) > 1e-8 ? std::expm1(x) / x : 1 + x * 0.5 * (1 + x / 3 * (1 + 0.25 * x)); }
}  // namespace

ZipfSampler::ZipfSampler(uint64_t n, double theta) : n_(n < 1 ? 1 : n), theta_(theta) {
  h_integral_x1_ = HIntegral(1.5) - 1;
  h_integral_n_ = HIntegral(static_cast<double>(n_) + 0.5);
  s_ = 2 - HIntegralInverse(HIntegral(2.5) - H(2));
}

double ZipfSampler::H(double x) const { return std::exp(-theta_ * std::log(x)); }

double ZipfSampler::HIntegral(double x) const {
  const double lx = std::log(x);
  return Expm1OverX((1 - theta_) * lx) * lx;
}

double ZipfSampler::HIntegralInverse(double x) const {
  double t = x * (1 - theta_);
  if (t < -1) t = -1;
  return std::exp(Log1pOverX(t) * x);
}

uint64_t ZipfSampler::Sample(Rng& rng) const {
  for (;;) {
    const double u = h_integral_n_ + rng.Unit() * (h_integral_x1_ - h_integral_n_);
    const double x = HIntegralInverse(u);
    double kd = std::floor(x + 0.5);
    if (kd < 1) kd = 1;
    if (kd > static_cast<double>(n_)) kd = static_cast<double>(n_);
    if (kd - x <= s_ || u >= HIntegral(kd + 0.5) - H(kd)) return static_cast<uint64_t>(kd);
  }
}

WorkloadGenerator::WorkloadGenerator(const WorkloadSpec& spec)
    : spec_(spec),
      rng_(spec.seed),
      slots_(spec.bytes / (spec.granule ? spec.granule : 8)),
      zipf_(spec.kind == WorkloadKind::kZipf ? spec.bytes / (spec.granule ? spec.granule : 8) : 1, spec.theta) {
  if (spec_.granule == 0) spec_.granule = 8;
  if (slots_ == 0) slots_ = 1;
  while ((uint64_t{1} << pow2_bits_) < slots_) ++pow2_bits_;
  pow2_mask_ = (uint64_t{1} << pow2_bits_) - 1;
  cursor_ = spec_.kind == WorkloadKind::kChase ? rng_.Below(slots_) : 0;
  hot_slots_ = static_cast<uint64_t>(spec_.hot_fraction * static_cast<double>(slots_));
  if (hot_slots_ == 0) hot_slots_ = 1;
  if (hot_slots_ > slots_) hot_slots_ = slots_;
}

uint64_t WorkloadGenerator::Scatter(uint64_t x) const {
  // Cycle-walking over a bijection of [0, 2^bits): odd multiply-add, then xor-shift (both
  // invertible modulo 2^bits), repeated until the value falls inside [0, slots_).
  const unsigned half = pow2_bits_ / 2 + 1;
  do {
    x = (x * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull) & pow2_mask_;
    x ^= x >> half;
  } while (x >= slots_);
  return x;
}

template <WorkloadKind kKind>
uint64_t WorkloadGenerator::NextSlot() {
  if constexpr (kKind == WorkloadKind::kUniform) {
    return rng_.Below(slots_);
  } else if constexpr (kKind == WorkloadKind::kZipf) {
    return Scatter(zipf_.Sample(rng_) - 1);
  } else if constexpr (kKind == WorkloadKind::kSequential) {
    const uint64_t s = cursor_;
    cursor_ = cursor_ + 1 == slots_ ? 0 : cursor_ + 1;
    return s;
  } else if constexpr (kKind == WorkloadKind::kStrided) {
    const uint64_t step = spec_.stride / spec_.granule ? spec_.stride / spec_.granule : 1;
    const uint64_t s = cursor_;
    cursor_ += step;
    if (cursor_ >= slots_) {
      lap_ = (lap_ + 1) % step;
      cursor_ = lap_;
    }
    return s;
  } else if constexpr (kKind == WorkloadKind::kChase) {
    // Full-period LCG modulo 2^bits (multiplier = 1 mod 4, odd increment), skipping values
    // outside the range: a permutation of the slots in which each step depends on the last.
    do {
      cursor_ = (cursor_ * 0x5851F42D4C957F2Dull + 0x14057B7EF767814Full) & pow2_mask_;
    } while (cursor_ >= slots_);
    return cursor_;
  } else {
    // hotcold and phases
    const uint64_t hot = hot_slots_;
    uint64_t start = 0;
    if (kKind == WorkloadKind::kPhases && spec_.phase_length > 0) {
      start = ((index_ / spec_.phase_length) * hot) % slots_;
    }
    if (hot == slots_ || rng_.Unit() < spec_.hot_share) {
      return (start + rng_.Below(hot)) % slots_;
    }
    return (start + hot + rng_.Below(slots_ - hot)) % slots_;
  }
}

template <WorkloadKind kKind>
void WorkloadGenerator::FillAs(uint64_t* addrs, uint8_t* writes, size_t n) {
  const uint64_t base = spec_.base;
  const uint64_t granule = spec_.granule;
  const double write_fraction = spec_.write_fraction;
  for (size_t i = 0; i < n; ++i) {
    // The slot's draws come before the write flag's: the order fixes the stream for a seed.
    addrs[i] = base + NextSlot<kKind>() * granule;
    writes[i] = write_fraction > 0 && rng_.Unit() < write_fraction ? 1 : 0;
    ++index_;
  }
}

void WorkloadGenerator::Fill(uint64_t* addrs, uint8_t* writes, size_t n) {
  switch (spec_.kind) {
    case WorkloadKind::kUniform: return FillAs<WorkloadKind::kUniform>(addrs, writes, n);
    case WorkloadKind::kZipf: return FillAs<WorkloadKind::kZipf>(addrs, writes, n);
    case WorkloadKind::kSequential: return FillAs<WorkloadKind::kSequential>(addrs, writes, n);
    case WorkloadKind::kStrided: return FillAs<WorkloadKind::kStrided>(addrs, writes, n);
    case WorkloadKind::kChase: return FillAs<WorkloadKind::kChase>(addrs, writes, n);
    case WorkloadKind::kHotCold: return FillAs<WorkloadKind::kHotCold>(addrs, writes, n);
    case WorkloadKind::kPhases: return FillAs<WorkloadKind::kPhases>(addrs, writes, n);
  }
}

}  // namespace thp::tlbsim
