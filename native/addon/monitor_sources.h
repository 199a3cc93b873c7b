// The access sources an AccessMonitor can be built with, chosen by `source.kind` in its
// options. A SourceHandle creates the source, hands it to the runner, and keeps a way to
// steer it from JS (`monitor.source(command, argument)`), for example a synthetic pattern's
// hot ranges, or the pagemap source's unprotect call.
#pragma once

#include <napi.h>

#include <memory>

#include "core/monitor/access_source.h"

namespace thp::addon {

class SourceHandle {
 public:
  virtual ~SourceHandle() = default;
  // Ownership of the source goes to the runner (called once); the handle keeps using it.
  virtual std::unique_ptr<monitor::AccessSource> Take() = 0;
  virtual monitor::AccessSignal signal() const = 0;
  // info[0] is the command name, info[1] its argument. `running`: the monitor thread uses
  // the source now, so only thread-safe commands may run.
  virtual Napi::Value Control(const Napi::CallbackInfo& info, bool running) = 0;
};

std::unique_ptr<SourceHandle> MakeAccessSource(Napi::Env env, const Napi::Value& options, uint64_t seed);

}  // namespace thp::addon
