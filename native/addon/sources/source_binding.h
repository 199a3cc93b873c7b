// What the addon's AccessMonitor needs of a source object handed to it from JS: the driver
// that runs the monitor over this source, and what the source observes. Each access source
// is one JS class with its own typed methods (one ObjectWrap per class, in
// native/addon/sources/<name>_source.cc); SourceWrap<T> gives every such class this common
// part and lets AccessMonitor recognise its objects.
//
// In the kernel the same split holds: a monitoring context (struct damon_ctx) runs on a set
// of operations (struct damon_operations) that it calls but does not know the kind of; the
// operations that act on memory belong to the operations set, not to the context.
#pragma once

#include <napi.h>

#include <memory>
#include <string>
#include <vector>

#include "core/monitor/access_source.h"
#include "core/monitor/monitor_core.h"
#include "core/monitor/monitor_driver.h"

namespace thp::addon {

class SourceBinding {
 public:
  virtual ~SourceBinding() = default;

  // The driver of the monitor this source feeds: called once per source by that monitor's
  // constructor (a second monitor over the same source would sample it from two threads).
  std::shared_ptr<monitor::MonitorDriver> Bind(Napi::Env env, const monitor::Attrs& attrs,
                                               std::vector<monitor::TargetSpec> targets, uint64_t seed);
  virtual monitor::AccessSignal signal() const = 0;

 protected:
  virtual std::shared_ptr<monitor::MonitorDriver> CreateDriver(Napi::Env env, const monitor::Attrs& attrs,
                                                               std::vector<monitor::TargetSpec> targets, uint64_t seed) = 0;
  // For methods that change what the monitor thread reads without a lock: throws while the
  // thread of the monitor this source feeds runs (stepping happens on the JS thread).
  void RequireIdle(Napi::Env env, const std::string& what) const;

 private:
  std::weak_ptr<monitor::MonitorDriver> driver_;
  bool bound_ = false;
};

// The driver of a source our monitoring core samples (MonitorRunner), sharing the source
// with the JS object so both may outlive the other.
std::shared_ptr<monitor::MonitorDriver> SampleWithCore(std::shared_ptr<monitor::AccessSource> source, const monitor::Attrs& attrs,
                                                       std::vector<monitor::TargetSpec> targets, uint64_t seed);

// An Error with code ERR_THP_NOT_SUPPORTED (lib/sources turns it into NotSupportedError).
Napi::Error NotSupported(Napi::Env env, const std::string& why_not);

// The source object behind a JS value (one made by a class defined with SourceWrap), or a
// TypeError.
SourceBinding& UnwrapSource(Napi::Env env, const Napi::Value& value);

using SourceUnwrapper = SourceBinding* (*)(const Napi::Object& object);
void RegisterSourceClass(Napi::Env env, const Napi::Function& constructor, SourceUnwrapper unwrap);

// The JS class of one access source: `T` defines its constructor and typed methods.
template <class T>
class SourceWrap : public Napi::ObjectWrap<T>, public SourceBinding {
 public:
  explicit SourceWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<T>(info) {}

  static void Register(Napi::Env env, Napi::Object exports, const char* name,
                       const std::vector<typename Napi::ObjectWrap<T>::PropertyDescriptor>& methods) {
    const Napi::Function constructor = Napi::ObjectWrap<T>::DefineClass(env, name, methods);
    RegisterSourceClass(env, constructor, [](const Napi::Object& object) -> SourceBinding* { return T::Unwrap(object); });
    exports.Set(name, constructor);
  }
};

// The JS class of a source our core samples that draws random numbers of its own (one with
// Reseed): those draws start from the monitor's seed mixed with the source's `kSalt`, so one
// seed reproduces a whole run while the source's draws differ from the monitor's
// sampling-address draws.
template <class T, class Seeded, uint64_t kSalt>
class SeededSourceWrap : public SourceWrap<T> {
 public:
  SeededSourceWrap(const Napi::CallbackInfo& info, std::shared_ptr<Seeded> source)
      : SourceWrap<T>(info), source_(std::move(source)) {}

  monitor::AccessSignal signal() const override { return source_->signal(); }

 protected:
  std::shared_ptr<monitor::MonitorDriver> CreateDriver(Napi::Env /*env*/, const monitor::Attrs& attrs,
                                                       std::vector<monitor::TargetSpec> targets, uint64_t seed) override {
    source_->Reseed(seed ^ kSalt);
    return SampleWithCore(source_, attrs, std::move(targets), seed);
  }

  std::shared_ptr<Seeded> source_;
};

}  // namespace thp::addon
