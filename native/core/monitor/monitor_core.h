// The monitoring loop of DAMON's kdamond (Documentation/mm/damon/design.rst, "Execution Model and Data Structures"), driven one sampling interval at
// a time by its caller: PrepareSample(), let one sampling interval pass (a thread sleeps, a
// test runs a workload or nothing), then FinishSample(). The core holds no clock and no
// thread, so tests step it deterministically; MonitorRunner drives it in real time.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/monitor/access_source.h"
#include "core/monitor/attrs.h"
#include "core/monitor/random.h"
#include "core/monitor/target.h"

namespace thp::monitor {

// What the user specifies per target: fixed ranges, or none for the whole address space.
struct TargetSpec {
  std::vector<AddressRange> fixed_ranges;
};

struct RegionSnapshot {
  uint32_t target = 0;
  uint64_t start = 0;
  uint64_t end = 0;
  uint32_t nr_accesses = 0;
  uint64_t nr_accesses_bp = 0;
  uint32_t age = 0;
};

// The regions as the aggregation that just ended left them (after merge and age update,
// before reset and split: the point where DAMON runs its callbacks and schemes, design.rst "Execution Model and Data Structures").
struct Snapshot {
  uint64_t aggregation = 0;  // 1 for the first aggregation
  uint64_t passed_sample_intervals = 0;
  uint64_t sample_us = 0;  // attributes in force during that aggregation
  uint64_t aggr_us = 0;
  uint32_t max_nr_accesses = 0;  // the maximum nr_accesses possible (aggr / sample)
  std::vector<RegionSnapshot> regions;
  // Filled by a real-time driver (MonitorRunner): steady-clock time at delivery and the
  // wall time the aggregation took. Zero when stepped.
  uint64_t time_ns = 0;
  uint64_t elapsed_ns = 0;
  uint64_t thread_cpu_ns = 0;  // CPU time the monitor thread has used since it started
  // Sampling intervals that passed without a sample since the thread started, because the
  // thread ran late (a busy machine): the runner skips them rather than catching up.
  uint64_t skipped_samples = 0;
};

struct SampleHooks {
  // At the callback point of an aggregation, with the finished window's snapshot.
  std::function<void(Snapshot)> on_aggregation;
  // At the same point of every iteration (damon_call): SetAttrs called here applies from the
  // next iteration, as attribute commits do in the kernel.
  std::function<void()> on_call;
};

class MonitorCore {
 public:
  MonitorCore(const Attrs& attrs, std::vector<TargetSpec> targets, AccessSource& source, SeededRandom& rng);

  // design.rst "Execution Model and Data Structures": counters, initial regions (design.rst "Virtual Address Space Specific Implementation") and the min_nr_regions cut.
  void Start();

  // Hands the current target ranges to the source (monitoring resumes after a stop in which
  // the source released its registrations, or the ranges of fixed targets changed).
  void SyncSource();

  // Why `targets` cannot replace the fixed targets' ranges (empty when they can): one spec per
  // target, with ranges for each fixed target and none for an address-space one.
  std::string CheckTargetRanges(const std::vector<TargetSpec>& targets) const;
  // damon_set_regions on every fixed target, as a kernel commit of new target regions does
  // (design.rst "Virtual Address Space Specific Implementation"): regions that still
  // intersect the new ranges keep their history, new space gets fresh regions, and the
  // min_nr_regions cut is applied again. The source is not told: call SyncSource() once it
  // holds the targets (after Start()). `targets` must pass CheckTargetRanges.
  void SetTargetRanges(const std::vector<TargetSpec>& targets);

  // design.rst "PTE Accessed-bit Based Access Check" prepare_access_checks: one random address per region, its accessed state cleared.
  void PrepareSample();

  // The rest of one design.rst "Execution Model and Data Structures" iteration after the sampling interval has passed: count, and at
  // boundaries merge, call the hooks, tune, reset, split and update targets.
  void FinishSample(const SampleHooks& hooks);

  // design.rst "Monitoring Intervals Auto-tuning" damon_set_attrs: validated, then counters re-armed from now and regions rescaled.
  // Returns the validation error, empty on success.
  std::string SetAttrs(const Attrs& attrs);

  const Attrs& attrs() const { return attrs_; }
  const std::vector<Target>& targets() const { return targets_; }
  uint64_t passed_sample_intervals() const { return passed_; }
  uint64_t aggregations() const { return aggregations_; }
  // The current merge size cap (design.rst "Adaptive Regions Adjustment").
  uint64_t size_limit() const { return sz_limit_; }
  Snapshot CurrentSnapshot() const;

 private:
  void CheckAccesses();
  void UpdateTargets();
  std::vector<AddressRange> MonitoredRanges() const;
  void ResetAggregated();

  Attrs attrs_;
  std::vector<Target> targets_;
  AccessSource& source_;
  SeededRandom& rng_;
  uint64_t passed_ = 0;
  uint64_t next_aggregation_sis_ = 0;
  uint64_t next_ops_update_sis_ = 0;
  uint64_t next_intervals_tune_sis_ = 0;
  uint64_t sz_limit_ = kMinRegionSize;
  uint64_t last_nr_regions_ = 0;
  uint32_t max_nr_accesses_seen_ = 0;
  uint64_t aggregations_ = 0;
  // Same-folio result cache of design.rst "PTE Accessed-bit Based Access Check" (the kernel's statics, per monitor here).
  uint64_t cache_addr_ = 0;
  uint64_t cache_page_size_ = kMinRegionSize;
  bool cache_accessed_ = false;
  // This sample's addresses in region order, handed to the source in one call (kept to
  // reuse its allocation).
  std::vector<uint64_t> sampling_addrs_;
  std::vector<AddressRange> sampled_regions_;  // only for sources that want them
};

}  // namespace thp::monitor
