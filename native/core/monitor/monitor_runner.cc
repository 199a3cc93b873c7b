#include "core/monitor/monitor_runner.h"

#include <chrono>
#include <exception>
#include <utility>

namespace thp::monitor {

namespace {
uint64_t NowNs() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count());
}
// Whole sampling intervals beyond the first that one iteration took.
uint64_t SkippedIntervals(uint64_t elapsed_ns, uint64_t sample_us) {
  const uint64_t intervals = elapsed_ns / (sample_us * 1000);
  return intervals > 1 ? intervals - 1 : 0;
}

}  // namespace

MonitorRunner::MonitorRunner(std::shared_ptr<AccessSource> source, std::unique_ptr<SeededRandom> rng, const Attrs& attrs,
                             std::vector<TargetSpec> targets, std::function<uint64_t()> thread_cpu_ns)
    : source_(std::move(source)),
      rng_(std::move(rng)),
      core_(attrs, std::move(targets), *source_, *rng_),
      attrs_(attrs),
      thread_cpu_ns_(std::move(thread_cpu_ns)) {}

MonitorRunner::~MonitorRunner() {
  RequestStop();
  Join();
}

void MonitorRunner::Start(Deliver deliver, Finished finished) {
  std::lock_guard<std::mutex> lock(mutex_);
  stop_ = false;
  running_ = true;
  thread_ = std::thread(&MonitorRunner::Loop, this, std::move(deliver), std::move(finished));
}

void MonitorRunner::EnsureCoreStarted() {
  if (!core_started_) {
    core_.Start();
    core_started_ = true;
  } else if (source_released_) {
    core_.SyncSource();
  }
  source_released_ = false;
}

void MonitorRunner::ReleaseSource() {
  if (running()) return;
  source_->Release();
  source_released_ = true;
}

std::vector<Snapshot> MonitorRunner::Step(uint64_t samples) {
  std::vector<Snapshot> out;
  EnsureCoreStarted();
  SampleHooks hooks;
  hooks.on_aggregation = [&](Snapshot s) { out.push_back(std::move(s)); };
  for (uint64_t i = 0; i < samples; i++) {
    core_.PrepareSample();
    source_->Elapse(core_.attrs().sample_us);
    core_.FinishSample(hooks);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (!out.empty()) latest_ = std::make_shared<const Snapshot>(out.back());
  attrs_ = core_.attrs();
  return out;
}

void MonitorRunner::RequestStop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
}

void MonitorRunner::Join() {
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

bool MonitorRunner::running() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return running_;
}

std::string MonitorRunner::RequestAttrs(const Attrs& attrs) {
  std::string error = ValidateAttrs(attrs);
  if (!error.empty()) return error;
  std::lock_guard<std::mutex> lock(mutex_);
  if (running_) {
    pending_attrs_ = attrs;
  } else {
    error = core_.SetAttrs(attrs);
    pending_attrs_.reset();  // one queued by a thread that ended before applying it is older
  }
  if (error.empty()) attrs_ = attrs;
  return error;
}

std::string MonitorRunner::RequestTargetRanges(std::vector<TargetSpec> targets) {
  // Which targets are fixed never changes after construction, so checking needs no lock.
  std::string error = core_.CheckTargetRanges(targets);
  if (!error.empty()) return error;
  std::lock_guard<std::mutex> lock(mutex_);
  if (running_) {
    pending_targets_ = std::move(targets);
    return "";
  }
  core_.SetTargetRanges(targets);
  pending_targets_.reset();  // one queued by a thread that ended before applying it is older
  // A source that holds the old ranges learns the new ones now; one not yet (or no longer)
  // holding any gets them when the core starts or resumes.
  if (core_started_ && !source_released_) core_.SyncSource();
  return "";
}

void MonitorRunner::ApplyPending() {
  std::optional<Attrs> attrs;
  std::optional<std::vector<TargetSpec>> targets;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    attrs.swap(pending_attrs_);
    targets.swap(pending_targets_);
  }
  if (attrs) core_.SetAttrs(*attrs);
  if (targets) {
    core_.SetTargetRanges(*targets);
    core_.SyncSource();
  }
}

std::shared_ptr<const Snapshot> MonitorRunner::Latest() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return latest_;
}

Attrs MonitorRunner::attrs() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return attrs_;
}

void MonitorRunner::Loop(const Deliver& deliver, const Finished& finished) {
  std::string error;
  try {
    EnsureCoreStarted();
    uint64_t window_start = NowNs();
    // A late iteration (the thread was not scheduled in time) is not made up by sampling
    // faster: the intervals it overran are counted as skipped and monitoring goes on from now.
    uint64_t iteration_start = window_start;
    uint64_t skipped_samples = 0;
    SampleHooks hooks;
    hooks.on_aggregation = [&](Snapshot s) {
      auto timed = std::make_shared<Snapshot>(std::move(s));
      timed->time_ns = NowNs();
      timed->elapsed_ns = timed->time_ns - window_start;
      window_start = timed->time_ns;
      timed->thread_cpu_ns = thread_cpu_ns_();
      timed->skipped_samples = skipped_samples;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        latest_ = timed;
      }
      deliver(std::move(timed));
    };
    hooks.on_call = [this] { ApplyPending(); };
    for (;;) {
      core_.PrepareSample();
      std::unique_lock<std::mutex> lock(mutex_);
      const uint64_t sample_us = core_.attrs().sample_us;
      if (wake_.wait_for(lock, std::chrono::microseconds(sample_us), [&] { return stop_; })) break;
      lock.unlock();
      const uint64_t now = NowNs();
      skipped_samples += SkippedIntervals(now - iteration_start, sample_us);
      iteration_start = now;
      core_.FinishSample(hooks);
      // Interval auto-tuning changes the attributes inside the core; publish them.
      lock.lock();
      attrs_ = pending_attrs_.value_or(core_.attrs());
    }
  } catch (const std::exception& e) {
    error = e.what();
  }
  source_->Release();
  source_released_ = true;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    running_ = false;
  }
  finished(error);
}

}  // namespace thp::monitor
