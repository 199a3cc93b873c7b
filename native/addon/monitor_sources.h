// The access sources an AccessMonitor can be built with, chosen by `source.kind` in its
// options. A SourceHandle creates the source and the driver that runs it (our monitoring
// core sampling it, or for `damon` the kernel's kdamond), and keeps a way to steer it from JS
// (`monitor.source(command, argument)`), for example a synthetic pattern's hot ranges, or the
// pagemap source's unprotect call.
#pragma once

#include <napi.h>

#include <memory>

#include "core/monitor/access_source.h"
#include "core/monitor/monitor_driver.h"
#include "core/monitor/monitor_core.h"

namespace thp::addon {

class SourceHandle {
 public:
  virtual ~SourceHandle() = default;
  // Called once. Sampled sources: the monitoring core's runner, owning the source (the
  // handle keeps using it).
  virtual std::unique_ptr<monitor::MonitorDriver> CreateDriver(const monitor::Attrs& attrs,
                                                               std::vector<monitor::TargetSpec> targets, uint64_t seed) = 0;
  virtual monitor::AccessSignal signal() const = 0;
  // info[0] is the command name, info[1] its argument. `running`: the monitor thread uses
  // the source now, so only thread-safe commands may run.
  virtual Napi::Value Control(const Napi::CallbackInfo& info, bool running) = 0;
};

std::unique_ptr<SourceHandle> MakeAccessSource(Napi::Env env, const Napi::Value& options, uint64_t seed);

}  // namespace thp::addon
