// Runs a MonitorCore in real time on its own std::thread (DAMON's kdamond,
// Documentation/mm/damon/design.rst, "Execution Model and Data Structures"): prepare, sleep one sampling interval, finish, repeat. The sleep is a condition
// variable wait, so a stop request wakes the thread at once. Attribute changes are queued
// and applied at the damon_call point of the next iteration.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/monitor/monitor_core.h"
#include "core/monitor/monitor_driver.h"

namespace thp::monitor {

class MonitorRunner final : public MonitorDriver {
 public:
  // `thread_cpu_ns` reads the calling thread's CPU time (an OS service, injected); the runner
  // stamps each snapshot with the monitor thread's CPU time so its cost can be measured.
  MonitorRunner(std::shared_ptr<AccessSource> source, std::unique_ptr<SeededRandom> rng, const Attrs& attrs,
                std::vector<TargetSpec> targets, std::function<uint64_t()> thread_cpu_ns);
  ~MonitorRunner() override;  // stops and joins

  void Start(Deliver deliver, Finished finished) override;
  // Runs `samples` iterations on the calling thread without sleeping and returns the
  // snapshots of the aggregations they completed: the explicit clock for tests and the
  // seeded simulations. Only while the thread is not running.
  std::vector<Snapshot> Step(uint64_t samples);
  // Lets the source release its OS resources while idle (after stepping); stepping or
  // starting again re-acquires them.
  void ReleaseSource();
  // The core, for inspection while the thread is not running.
  const MonitorCore& core() const { return core_; }
  void RequestStop() override;
  void Join() override;
  bool running() const override;
  // Validates now (returns the error), applies at the next iteration.
  std::string RequestAttrs(const Attrs& attrs) override;
  // New ranges for the fixed targets (MonitorCore::SetTargetRanges), keeping the history of
  // regions that still intersect them. Validates now (returns the error); while running,
  // applies at the next iteration and tells the source then.
  std::string RequestTargetRanges(std::vector<TargetSpec> targets);
  // The last delivered snapshot, if any aggregation has completed.
  std::shared_ptr<const Snapshot> Latest() const override;
  Attrs attrs() const override;
  MonitorRunner* stepper() override { return this; }

 private:
  void Loop(const Deliver& deliver, const Finished& finished);
  // Starts the core once; later, hands the targets back to a source that was released.
  void EnsureCoreStarted();
  // On the monitor thread, at the damon_call point: attributes and target ranges queued by
  // the JS thread.
  void ApplyPending();

  std::shared_ptr<AccessSource> source_;
  std::unique_ptr<SeededRandom> rng_;
  MonitorCore core_;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool running_ = false;
  bool core_started_ = false;
  bool source_released_ = false;
  std::optional<Attrs> pending_attrs_;
  std::optional<std::vector<TargetSpec>> pending_targets_;
  Attrs attrs_;
  std::shared_ptr<const Snapshot> latest_;
  std::function<uint64_t()> thread_cpu_ns_;
};

}  // namespace thp::monitor
