#include "core/monitor/interval_tuning.h"

#include <algorithm>
#include <limits>

#include "core/monitor/wide_math.h"

namespace thp::monitor {

namespace {
constexpr uint64_t kGoal = 10000;
constexpr uint64_t kMinInput = 10000;
// design.rst "Monitoring Intervals Auto-tuning": the feedback loop's input, so that input / 10000 is a factor in basis points.
constexpr uint64_t kIntervalsTuningInput = 100000000;
}  // namespace

uint64_t FeedLoopNextInput(uint64_t last, uint64_t score) {
  if (score == kGoal) return last;
  if (score >= 2 * kGoal) return kMinInput;
  const uint64_t diff = score > kGoal ? score - kGoal : kGoal - score;
  // last * diff / goal, reordered when the product would overflow (as the kernel does).
  const uint64_t comp = last > std::numeric_limits<uint64_t>::max() / diff ? last / kGoal * diff : last * diff / kGoal;
  if (score > kGoal) return last > comp ? std::max(last - comp, kMinInput) : kMinInput;
  return last > std::numeric_limits<uint64_t>::max() - comp ? std::numeric_limits<uint64_t>::max() : last + comp;
}

uint64_t IntervalsAdaptationBp(const std::vector<Target>& targets, const Attrs& attrs) {
  // Sizes are counted in minimum-region units (every region is aligned to one), which keeps the
  // same ratios as the kernel's byte counts while staying far from 64-bit overflow.
  uint64_t max_events = 0, events = 0;
  const uint64_t samples = AggrSamples(attrs);
  for (const auto& t : targets)
    for (const auto& r : t.regions) {
      const uint64_t units = r.size() / kMinRegionSize;
      max_events += units * samples;
      events += units * r.nr_accesses;
    }
  const uint64_t target = std::max<uint64_t>(1, MulDiv(max_events, attrs.goal.access_bp, 10000));
  const uint64_t score_bp = MulDiv(events, 10000, target);
  uint64_t adapt = FeedLoopNextInput(kIntervalsTuningInput, score_bp) / 10000;
  if (adapt <= 10000) adapt = 5000 + adapt / 2;
  return adapt;
}

Attrs TunedAttrs(const std::vector<Target>& targets, const Attrs& attrs) {
  const uint64_t adapt = IntervalsAdaptationBp(targets, attrs);
  if (adapt == 10000) return attrs;
  Attrs next = attrs;
  next.sample_us = std::clamp(attrs.sample_us * adapt / 10000, attrs.goal.min_sample_us, attrs.goal.max_sample_us);
  next.aggr_us = next.sample_us * AggrSamples(attrs);
  return next;
}

uint32_t RescaleNrAccesses(uint32_t nr, const Attrs& old_attrs, const Attrs& new_attrs) {
  const uint64_t bp = MulDiv(nr, 10000, AggrSamples(old_attrs));
  return static_cast<uint32_t>(MulDiv(bp, AggrSamples(new_attrs), 10000));
}

void RescaleRegions(std::vector<Target>& targets, const Attrs& old_attrs, const Attrs& new_attrs, bool mid_aggregation) {
  if (!old_attrs.sample_us || !old_attrs.aggr_us || !new_attrs.sample_us || !new_attrs.aggr_us) return;
  for (auto& t : targets)
    for (auto& r : t.regions) {
      if (mid_aggregation) {
        r.last_nr_accesses = RescaleNrAccesses(r.last_nr_accesses, old_attrs, new_attrs);
        r.nr_accesses_bp = static_cast<uint64_t>(r.last_nr_accesses) * 10000;
        r.nr_accesses = 0;
      } else {
        r.nr_accesses = RescaleNrAccesses(r.nr_accesses, old_attrs, new_attrs);
        r.nr_accesses_bp = static_cast<uint64_t>(r.nr_accesses) * 10000;
      }
      r.age = static_cast<uint32_t>(MulDiv(r.age, old_attrs.aggr_us, new_attrs.aggr_us));
    }
}

}  // namespace thp::monitor
