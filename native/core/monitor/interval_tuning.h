// Monitoring-intervals auto-tuning (Documentation/mm/damon/design.rst, "Monitoring Intervals Auto-tuning") and the rescaling of region state when
// attributes change while running (design.rst "Monitoring Intervals Auto-tuning").
#pragma once

#include <cstdint>
#include <vector>

#include "core/monitor/attrs.h"
#include "core/monitor/target.h"

namespace thp::monitor {

// design.rst "Aim-oriented Feedback-driven Auto-tuning" damon_feed_loop_next_input with goal 10000 and minimum input 10000.
uint64_t FeedLoopNextInput(uint64_t last_input, uint64_t score_bp);

// design.rst "Monitoring Intervals Auto-tuning": the factor (in 1/10000) to apply to the sampling interval given the observed events
// of the finished aggregation. 10000 means no change; shrinking is limited to half.
uint64_t IntervalsAdaptationBp(const std::vector<Target>& targets, const Attrs& attrs);

// design.rst "Monitoring Intervals Auto-tuning" kdamond_tune_intervals: the attributes to switch to, or `attrs` itself when unchanged.
Attrs TunedAttrs(const std::vector<Target>& targets, const Attrs& attrs);

// design.rst "Monitoring Intervals Auto-tuning" damon_nr_accesses_for_new_attrs: keep the access ratio when max_nr_accesses changes.
uint32_t RescaleNrAccesses(uint32_t nr, const Attrs& old_attrs, const Attrs& new_attrs);

// design.rst "Monitoring Intervals Auto-tuning" damon_update_monitoring_results: rescale every region for new attributes.
// Skipped when any old or new sampling or aggregation interval is zero.
void RescaleRegions(std::vector<Target>& targets, const Attrs& old_attrs, const Attrs& new_attrs, bool mid_aggregation);

}  // namespace thp::monitor
