// What runs a monitor in real time and hands its aggregation snapshots to the addon: either
// our own monitoring core sampling an AccessSource (MonitorRunner), or the kernel's kdamond
// driven through DAMON's sysfs interface (sources/kernel_damon/kernel_damon.h), which computes the
// regions itself. The addon's AccessMonitor talks to this interface only.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "core/monitor/attrs.h"
#include "core/monitor/monitor_core.h"

namespace thp::monitor {

class MonitorRunner;

class MonitorDriver {
 public:
  // Both run on the driver's thread. `finished` runs last, with an error message or "".
  // Snapshots are shared, immutable: the latest one and the one in flight to JS are the same object.
  using Deliver = std::function<void(std::shared_ptr<const Snapshot>)>;
  using Finished = std::function<void(const std::string& error)>;

  virtual ~MonitorDriver() = default;
  virtual void Start(Deliver deliver, Finished finished) = 0;
  // Only signals the thread; it ends within one sampling step (kernel: one aggregation).
  virtual void RequestStop() = 0;
  virtual void Join() = 0;
  virtual bool running() const = 0;
  // Validates now (returns the error), applies while running at the driver's next chance.
  virtual std::string RequestAttrs(const Attrs& attrs) = 0;
  // The last delivered snapshot, if any aggregation has completed.
  virtual std::shared_ptr<const Snapshot> Latest() const = 0;
  virtual Attrs attrs() const = 0;
  // The driver that samples on the caller's clock (stepping, region inspection), or null
  // when the monitoring runs elsewhere (the kernel's kdamond).
  virtual MonitorRunner* stepper() { return nullptr; }
};

}  // namespace thp::monitor
