#include "core/monitor/attrs.h"

#include <algorithm>
#include <limits>

namespace thp::monitor {

std::string ValidateAttrs(const Attrs& a) {
  if (a.min_nr_regions < 3) return "min_nr_regions must be at least 3";
  if (a.min_nr_regions > a.max_nr_regions) return "min_nr_regions must not exceed max_nr_regions";
  if (a.sample_us > a.aggr_us) return "sample_us must not exceed aggr_us";
  if (a.goal.aggrs != 0) {
    if (a.goal.min_sample_us > a.goal.max_sample_us) return "goal.min_sample_us must not exceed goal.max_sample_us";
    if (a.sample_us < a.goal.min_sample_us || a.sample_us > a.goal.max_sample_us)
      return "sample_us must lie within goal.min_sample_us..goal.max_sample_us";
  }
  return "";
}

uint64_t SampleDivisor(const Attrs& a) { return a.sample_us == 0 ? 1 : a.sample_us; }

uint64_t AggrSamples(const Attrs& a) {
  return std::min<uint64_t>(a.aggr_us / SampleDivisor(a), std::numeric_limits<uint32_t>::max());
}

}  // namespace thp::monitor
