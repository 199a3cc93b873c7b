#include "addon/sources/source_binding.h"

#include <utility>

#include "core/monitor/monitor_runner.h"
#include "platform/thread_cpu.h"

namespace thp::addon {

namespace {

// The source classes of one environment (main thread or worker), so AccessMonitor can tell
// a source object from any other value and unwrap it with its own class's type.
struct SourceClasses {
  std::vector<std::pair<Napi::FunctionReference, SourceUnwrapper>> classes;
};

SourceClasses& ClassesOf(Napi::Env env) {
  auto* classes = env.GetInstanceData<SourceClasses>();
  if (classes == nullptr) {
    classes = new SourceClasses();
    env.SetInstanceData(classes);  // deleted by node when the environment ends
  }
  return *classes;
}

}  // namespace

std::shared_ptr<monitor::MonitorDriver> SourceBinding::Bind(Napi::Env env, const monitor::Attrs& attrs,
                                                            std::vector<monitor::TargetSpec> targets, uint64_t seed) {
  if (bound_) throw Napi::Error::New(env, "this access source already feeds a monitor; create a new source for another monitor");
  auto driver = CreateDriver(env, attrs, std::move(targets), seed);
  bound_ = true;
  driver_ = driver;
  return driver;
}

void SourceBinding::RequireIdle(Napi::Env env, const std::string& what) const {
  const auto driver = driver_.lock();
  if (driver && driver->running()) throw Napi::Error::New(env, what + " is not possible while the monitor thread runs");
}

std::shared_ptr<monitor::MonitorDriver> SampleWithCore(std::shared_ptr<monitor::AccessSource> source, const monitor::Attrs& attrs,
                                                       std::vector<monitor::TargetSpec> targets, uint64_t seed) {
  return std::make_shared<monitor::MonitorRunner>(std::move(source), std::make_unique<monitor::SeededRandom>(seed), attrs,
                                                  std::move(targets), &platform::ThreadCpuTimeNs);
}

Napi::Error NotSupported(Napi::Env env, const std::string& why_not) {
  auto error = Napi::Error::New(env, why_not);
  error.Set("code", Napi::String::New(env, "ERR_THP_NOT_SUPPORTED"));
  return error;
}

SourceBinding& UnwrapSource(Napi::Env env, const Napi::Value& value) {
  if (value.IsObject()) {
    const auto object = value.As<Napi::Object>();
    for (const auto& [constructor, unwrap] : ClassesOf(env).classes)
      if (object.InstanceOf(constructor.Value())) return *unwrap(object);
  }
  throw Napi::TypeError::New(
      env, "source must be an access source object (PatternSource, SimulatedSource, PagemapSource, KernelDamonSource, ...)");
}

void RegisterSourceClass(Napi::Env env, const Napi::Function& constructor, SourceUnwrapper unwrap) {
  ClassesOf(env).classes.emplace_back(Napi::Persistent(constructor), unwrap);
}

}  // namespace thp::addon
