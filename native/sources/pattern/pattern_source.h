// A seeded synthetic access source: a model of a program, not of hardware. Pages inside
// "hot" ranges are touched with a given probability per sampling interval, everything else
// never. It exercises the monitoring core with access patterns chosen by a test (property
// tests generate them at random) without any page table; the `sim` source covers the page
// table semantics and the `pagemap` source real memory.
#pragma once

#include <cstdint>
#include <vector>

#include "core/monitor/access_source.h"
#include "core/monitor/random.h"

namespace thp::sources::pattern {

struct HotRange {
  uint64_t start = 0;
  uint64_t end = 0;
  uint32_t probability_bp = 10000;  // chance per sampling interval that a page is touched
};

class PatternSource final : public monitor::AccessSource {
 public:
  // `mappings` are what Mappings() reports (the "VMAs" for three-regions construction).
  PatternSource(std::vector<monitor::AddressRange> mappings, uint64_t seed);

  // The draws start over from `seed`: the monitor this source feeds passes its own seed, so
  // one seed reproduces a whole run.
  void Reseed(uint64_t seed) { rng_ = monitor::SeededRandom(seed); }
  void SetHotRanges(std::vector<HotRange> hot);
  void SetMappings(std::vector<monitor::AddressRange> mappings);

  monitor::AccessSignal signal() const override { return monitor::AccessSignal::kAccess; }
  std::vector<monitor::AddressRange> Mappings() override { return mappings_; }
  void PrepareAccessCheck(uint64_t /*addr*/) override {}
  monitor::AccessCheck CheckAccess(uint64_t addr) override;

 private:
  std::vector<monitor::AddressRange> mappings_;
  std::vector<HotRange> hot_;
  monitor::SeededRandom rng_;
};

}  // namespace thp::sources::pattern
