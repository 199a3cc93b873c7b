#include "core/monitor/monitor_core.h"

#include <algorithm>
#include <string>
#include <utility>

#include "core/monitor/adaptive_regions.h"
#include "core/monitor/interval_tuning.h"
#include "core/monitor/target_regions.h"

namespace thp::monitor {

MonitorCore::MonitorCore(const Attrs& attrs, std::vector<TargetSpec> specs, AccessSource& source, SeededRandom& rng)
    : attrs_(attrs), source_(source), rng_(rng) {
  for (auto& spec : specs) {
    Target t;
    t.fixed = !spec.fixed_ranges.empty();
    t.ranges = std::move(spec.fixed_ranges);
    targets_.push_back(std::move(t));
  }
}

void MonitorCore::Start() {
  // design.rst "Execution Model and Data Structures" kdamond_init_ctx.
  const uint64_t sample = SampleDivisor(attrs_);
  passed_ = 0;
  next_aggregation_sis_ = attrs_.aggr_us / sample;
  next_ops_update_sis_ = attrs_.ops_update_us / sample;
  next_intervals_tune_sis_ = next_aggregation_sis_ * attrs_.goal.aggrs;
  // ops.init: fixed targets get their ranges (fvaddr), the others three regions (vaddr, design.rst "Virtual Address Space Specific Implementation").
  for (auto& t : targets_) SetRegions(t.regions, t.ranges);
  UpdateTargets();
  sz_limit_ = ApplyMinNrRegions(targets_, attrs_.min_nr_regions);
}

std::vector<AddressRange> MonitorCore::MonitoredRanges() const {
  std::vector<AddressRange> monitored;
  for (const auto& t : targets_) monitored.insert(monitored.end(), t.ranges.begin(), t.ranges.end());
  return monitored;
}

void MonitorCore::SyncSource() { source_.TargetsChanged(MonitoredRanges()); }

std::string MonitorCore::CheckTargetRanges(const std::vector<TargetSpec>& targets) const {
  if (targets.size() != targets_.size())
    return "targets: " + std::to_string(targets_.size()) + " expected (the monitor's), got " + std::to_string(targets.size());
  for (size_t i = 0; i < targets.size(); i++) {
    if (targets_[i].fixed != !targets[i].fixed_ranges.empty())
      return "targets[" + std::to_string(i) + "].ranges: " +
             (targets_[i].fixed ? "non-empty (a target of fixed ranges keeps having ranges)"
                                : "absent (the address-space target follows the mappings)");
  }
  return "";
}

void MonitorCore::SetTargetRanges(const std::vector<TargetSpec>& targets) {
  for (size_t i = 0; i < targets_.size(); i++) {
    if (!targets_[i].fixed) continue;
    targets_[i].ranges = targets[i].fixed_ranges;
    SetRegions(targets_[i].regions, targets_[i].ranges);
  }
  sz_limit_ = ApplyMinNrRegions(targets_, attrs_.min_nr_regions);
}

void MonitorCore::UpdateTargets() {
  std::vector<AddressRange> mappings;
  bool have_mappings = false;
  for (auto& t : targets_) {
    if (!t.fixed) {
      if (!have_mappings) mappings = source_.Mappings();
      have_mappings = true;
      // On failure (fewer than two gaps) the regions stay as they are, as in the kernel.
      if (auto three = ThreeRegions(mappings)) {
        t.ranges = std::move(*three);
        SetRegions(t.regions, t.ranges);
      }
    }
  }
  source_.TargetsChanged(MonitoredRanges());
}

void MonitorCore::PrepareSample() {
  sampling_addrs_.clear();
  const bool with_regions = source_.WantsSampledRegions();
  sampled_regions_.clear();
  for (auto& t : targets_)
    for (auto& r : t.regions) {
      r.sampling_addr = RandomIn(rng_, r.start, r.end);
      sampling_addrs_.push_back(r.sampling_addr);
      if (with_regions) sampled_regions_.push_back({r.start, r.end});
    }
  if (with_regions) source_.SetSampledRegions(sampled_regions_);
  source_.PrepareAccessChecks(sampling_addrs_);
}

void MonitorCore::CheckAccesses() {
  // design.rst "Access Frequency Monitoring" damon_update_region_access_rate; the window is max_nr_accesses samples long.
  const uint64_t len_window = attrs_.sample_us == 0 ? 1 : AggrSamples(attrs_);
  max_nr_accesses_seen_ = 0;
  // The per-sample drop of the moving sum depends only on last_nr_accesses, which neighbouring
  // regions mostly share (every cold one has 0), so its division is redone only on a change.
  uint32_t drop_for = 0;
  uint64_t drop = 0;
  for (auto& t : targets_) {
    bool same_target =
        false;  // the cache is never used for the first region of a target (design.rst "PTE Accessed-bit Based Access Check")
    for (auto& r : t.regions) {
      bool accessed;
      if (same_target && AlignDown(cache_addr_, cache_page_size_) == AlignDown(r.sampling_addr, cache_page_size_)) {
        accessed = cache_accessed_;
      } else {
        const AccessCheck check = source_.CheckAccess(r.sampling_addr);
        accessed = cache_accessed_ = check.accessed;
        cache_page_size_ = check.page_size;
        cache_addr_ = r.sampling_addr;
      }
      same_target = true;
      if (r.last_nr_accesses != drop_for) {
        drop_for = r.last_nr_accesses;
        drop = static_cast<uint64_t>(drop_for) * 10000 / len_window;
      }
      // Deliberate difference: the kernel's unsigned sum would wrap if it ever went below zero.
      r.nr_accesses_bp = (r.nr_accesses_bp > drop ? r.nr_accesses_bp - drop : 0) + (accessed ? 10000 : 0);
      if (accessed) r.nr_accesses++;
      max_nr_accesses_seen_ = std::max(max_nr_accesses_seen_, r.nr_accesses);
    }
  }
}

void MonitorCore::ResetAggregated() {
  for (auto& t : targets_)
    for (auto& r : t.regions) {
      // The kernel's warn-and-fix: the moving sum must equal nr_accesses ×10000 here (design.rst "Access Frequency Monitoring").
      r.nr_accesses_bp = static_cast<uint64_t>(r.nr_accesses) * 10000;
      r.last_nr_accesses = r.nr_accesses;
      r.nr_accesses = 0;
    }
}

Snapshot MonitorCore::CurrentSnapshot() const {
  Snapshot s;
  s.aggregation = aggregations_;
  s.passed_sample_intervals = passed_;
  s.sample_us = attrs_.sample_us;
  s.aggr_us = attrs_.aggr_us;
  s.max_nr_accesses = static_cast<uint32_t>(AggrSamples(attrs_));
  s.regions.reserve(CountRegions(targets_));
  for (uint32_t i = 0; i < targets_.size(); i++)
    for (const auto& r : targets_[i].regions) s.regions.push_back({i, r.start, r.end, r.nr_accesses, r.nr_accesses_bp, r.age});
  return s;
}

void MonitorCore::FinishSample(const SampleHooks& hooks) {
  // design.rst "Execution Model and Data Structures", after the sleep. Changes made by the hooks apply from the next iteration.
  const uint64_t next_aggr = next_aggregation_sis_;
  const uint64_t next_update = next_ops_update_sis_;
  uint64_t sample = SampleDivisor(attrs_);
  passed_++;
  CheckAccesses();
  const bool aggregation = passed_ >= next_aggr;
  if (aggregation) {
    MergeRegions(targets_, max_nr_accesses_seen_ / 10, sz_limit_, attrs_.max_nr_regions, AggrSamples(attrs_));
    sz_limit_ = ApplyMinNrRegions(targets_, attrs_.min_nr_regions);
    aggregations_++;
    if (hooks.on_aggregation) hooks.on_aggregation(CurrentSnapshot());
  }
  if (hooks.on_call) hooks.on_call();
  if (aggregation) {
    if (attrs_.goal.aggrs && passed_ >= next_intervals_tune_sis_) {
      // A hook may have moved the boundary; restore it so SetAttrs does not see a
      // mid-aggregation state and wipe the window (as the kernel does).
      next_aggregation_sis_ = next_aggr;
      next_intervals_tune_sis_ += AggrSamples(attrs_) * attrs_.goal.aggrs;
      const Attrs tuned = TunedAttrs(targets_, attrs_);
      if (tuned.sample_us != attrs_.sample_us || tuned.aggr_us != attrs_.aggr_us) SetAttrs(tuned);
      sample = SampleDivisor(attrs_);
    }
    next_aggregation_sis_ = next_aggr + attrs_.aggr_us / sample;
    ResetAggregated();
    SplitRegions(targets_, attrs_.max_nr_regions, last_nr_regions_, rng_);
  }
  if (passed_ >= next_update) {
    next_ops_update_sis_ = next_update + attrs_.ops_update_us / sample;
    UpdateTargets();
  }
}

std::string MonitorCore::SetAttrs(const Attrs& attrs) {
  std::string error = ValidateAttrs(attrs);
  if (!error.empty()) return error;
  // design.rst "Monitoring Intervals Auto-tuning": "mid-aggregation" is judged before the counters are re-armed from now.
  const bool mid_aggregation = passed_ < next_aggregation_sis_;
  const uint64_t sample = SampleDivisor(attrs);
  next_aggregation_sis_ = passed_ + attrs.aggr_us / sample;
  next_ops_update_sis_ = passed_ + attrs.ops_update_us / sample;
  RescaleRegions(targets_, attrs_, attrs, mid_aggregation);
  attrs_ = attrs;
  return "";
}

}  // namespace thp::monitor
