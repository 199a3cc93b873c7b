// Monitoring attributes (Documentation/mm/damon/design.rst, "Execution Model and Data Structures"): intervals, region-count limits and the
// intervals auto-tuning goal, with the kernel's defaults and validation rules.
#pragma once

#include <cstdint>
#include <string>

namespace thp::monitor {

// DAMON_MIN_REGION_SZ (design.rst "Region Based Sampling"): regions start, end and are cut on 4 KiB boundaries.
constexpr uint64_t kMinRegionSize = 4096;

// design.rst "Monitoring Intervals Auto-tuning": auto-tuning of the sampling interval; aggrs == 0 disables it.
struct IntervalsGoal {
  uint64_t access_bp = 0;      // wanted ratio of observed to possible access events, in 1/10000
  uint64_t aggrs = 0;          // tune every this many aggregations
  uint64_t min_sample_us = 0;  // bounds of the tuned sampling interval
  uint64_t max_sample_us = 0;
};

// Defaults of damon_new_ctx (design.rst "Execution Model and Data Structures"). All intervals are in microseconds.
struct Attrs {
  uint64_t sample_us = 5000;
  uint64_t aggr_us = 100000;
  uint64_t ops_update_us = 60000000;
  uint64_t min_nr_regions = 10;
  uint64_t max_nr_regions = 1000;
  IntervalsGoal goal;
};

// The rules of damon_set_attrs (design.rst "Execution Model and Data Structures"). Empty when valid, otherwise why not, naming the field.
std::string ValidateAttrs(const Attrs& attrs);

// A zero sampling interval counts as 1 in every division (design.rst "Execution Model and Data Structures").
uint64_t SampleDivisor(const Attrs& attrs);

// max_nr_accesses (design.rst "Region Based Sampling") = aggr / sample capped to UINT_MAX; also the window length of the
// moving sum (design.rst "Access Frequency Monitoring") and the aggr_samples ratio that auto-tuning preserves (design.rst "Monitoring Intervals Auto-tuning").
uint64_t AggrSamples(const Attrs& attrs);

}  // namespace thp::monitor
