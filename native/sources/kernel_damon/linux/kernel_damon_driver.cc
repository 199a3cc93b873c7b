// The kdamond driver: one std::thread that owns a KdamondSlot for the run. It sets the
// kdamond up, then asks it for the regions of every aggregation (a sysfs write that returns at
// the next aggregation boundary, so the thread sleeps in the kernel in between) and delivers
// them as snapshots; a stop request is seen after the current aggregation. The slot is given
// back on every exit path: stop, failure, the monitored process exiting, and the addon's
// environment cleanup (process exit), which stops and joins the thread.
#include <mutex>
#include <optional>
#include <thread>

#include "platform/linux/probe/damon_probe.h"
#include "platform/steady_clock.h"
#include "platform/thread_cpu.h"
#include "sources/kernel_damon/kernel_damon.h"
#include "sources/kernel_damon/linux/kdamond_slot.h"

namespace thp::sources {

namespace {

class KernelDamonDriver final : public monitor::MonitorDriver {
 public:
  explicit KernelDamonDriver(KernelDamonOptions options) : options_(std::move(options)), attrs_(options_.attrs) {}
  ~KernelDamonDriver() override {
    RequestStop();
    Join();
  }

  void Start(Deliver deliver, Finished finished) override {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = false;
    running_ = true;
    thread_ = std::thread(&KernelDamonDriver::Loop, this, std::move(deliver), std::move(finished));
  }

  void RequestStop() override {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }

  void Join() override {
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
  }

  bool running() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    return running_;
  }

  std::string RequestAttrs(const monitor::Attrs& attrs) override {
    std::string error = monitor::ValidateAttrs(attrs);
    if (!error.empty()) return error;
    std::lock_guard<std::mutex> lock(mutex_);
    if (running_) pending_attrs_ = attrs;
    attrs_ = attrs;
    options_.attrs = attrs;
    return "";
  }

  std::shared_ptr<const monitor::Snapshot> Latest() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    return latest_;
  }

  monitor::Attrs attrs() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    return attrs_;
  }

 private:
  bool StopRequested() {
    std::lock_guard<std::mutex> lock(mutex_);
    return stop_;
  }

  void Loop(const Deliver& deliver, const Finished& finished) {
    std::string error;
    kernel_damon::KdamondSlot slot;
    try {
      monitor::Attrs attrs;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        attrs = options_.attrs;
        pending_attrs_.reset();
      }
      slot.Start(options_.pid, options_.ranges, attrs);
      uint64_t window_start = platform::SteadyNowNs();
      while (!StopRequested()) {
        auto snapshot = std::make_shared<monitor::Snapshot>();
        snapshot->regions = slot.NextRegions();
        snapshot->aggregation = ++aggregations_;
        snapshot->sample_us = attrs.sample_us;
        snapshot->aggr_us = attrs.aggr_us;
        const uint64_t samples = monitor::AggrSamples(attrs);
        snapshot->max_nr_accesses = static_cast<uint32_t>(samples);
        snapshot->passed_sample_intervals = aggregations_ * samples;
        snapshot->time_ns = platform::SteadyNowNs();
        snapshot->elapsed_ns = snapshot->time_ns - window_start;
        window_start = snapshot->time_ns;
        snapshot->thread_cpu_ns = platform::ThreadCpuTimeNs();
        std::optional<monitor::Attrs> next;
        {
          std::lock_guard<std::mutex> lock(mutex_);
          latest_ = snapshot;
          next.swap(pending_attrs_);
        }
        deliver(std::move(snapshot));
        if (next) {
          slot.CommitAttrs(*next);
          attrs = *next;
        }
      }
    } catch (const std::exception& e) {
      error = e.what();
    }
    slot.Release();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      running_ = false;
    }
    finished(error);
  }

  KernelDamonOptions options_;
  mutable std::mutex mutex_;
  std::thread thread_;
  bool stop_ = false;
  bool running_ = false;
  uint64_t aggregations_ = 0;
  std::optional<monitor::Attrs> pending_attrs_;
  monitor::Attrs attrs_;
  std::shared_ptr<const monitor::Snapshot> latest_;
};

}  // namespace

std::unique_ptr<monitor::MonitorDriver> CreateKernelDamonDriver(const KernelDamonOptions& options, std::string* why_not) {
  // Probed once per process: the answer (a few sysfs reads, or /proc/kallsyms, megabytes,
  // when no DAMON context exists) does not change while it runs, and the constructor that
  // asks runs on the JS thread.
  static const platform::probe::DamonProbe damon = platform::probe::ProbeDamon();
  if (!damon.supported) {
    *why_not = damon.reason;
    return nullptr;
  }
  if (damon.vaddr == 0) {
    *why_not = "the kernel's DAMON has no virtual-address operations (CONFIG_DAMON_VADDR is not set; per " +
               std::string(damon.vaddrEvidence == "avail_operations" ? "an existing DAMON context's avail_operations"
                                                                     : "/proc/kallsyms") +
               ")";
    return nullptr;
  }
  return std::make_unique<KernelDamonDriver>(options);
}

}  // namespace thp::sources
