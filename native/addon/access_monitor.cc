// JS class AccessMonitor: one monitoring core over the access source object it is given
// (native/addon/sources/), stepped on the JS thread (tests, seeded simulations) or run on its
// own std::thread (MonitorRunner); or, for the kernel DAMON source, the kernel's kdamond
// driven from its own std::thread. It knows nothing of the source's kind: what acts on
// memory is a method of the source object. Snapshots
// reach JS through an unref'd ThreadSafeFunction, so a running monitor never keeps the
// process alive; stop() only signals the thread (which wakes at once) and resolves when the
// thread has said it finished; an environment cleanup hook stops and joins it when the
// process or worker exits while it runs.
#include <napi.h>

#include <atomic>
#include <memory>
#include <string>

#include "addon/exports.h"
#include "addon/monitor_convert.h"
#include "addon/sources/source_binding.h"
#include "core/monitor/monitor_runner.h"

namespace thp::addon {

namespace {

// Snapshots waiting for the JS thread beyond this count are dropped (the pull call still
// sees the latest), so a busy event loop cannot make the queue grow without bound.
constexpr int kMaxQueuedSnapshots = 8;

class AccessMonitor;

struct Message {
  AccessMonitor* owner = nullptr;
  bool finished = false;
  std::string error;
  std::shared_ptr<const monitor::Snapshot> snapshot;
};

// A typed ThreadSafeFunction hands every queued message to DeliverMessage, also the ones
// node drops when it tears the function down (env null then), so each one is freed. The
// untyped one's NonBlockingCall(data, callback) leaked its wrapper and message there (LSan:
// one per monitor still delivering when its worker or process ended).
void DeliverMessage(Napi::Env env, Napi::Function callback, std::nullptr_t* context, Message* m);
using MessageTsfn = Napi::TypedThreadSafeFunction<std::nullptr_t, Message, DeliverMessage>;

class AccessMonitor : public Napi::ObjectWrap<AccessMonitor> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(
        env, "AccessMonitor",
        {InstanceMethod("step", &AccessMonitor::Step), InstanceMethod("start", &AccessMonitor::Start),
         InstanceMethod("stop", &AccessMonitor::Stop), InstanceMethod("stopAtExit", &AccessMonitor::StopAtExit),
         InstanceMethod("setAttrs", &AccessMonitor::SetAttrs), InstanceMethod("setTargets", &AccessMonitor::SetTargets),
         InstanceMethod("attrs", &AccessMonitor::GetAttrs), InstanceMethod("snapshot", &AccessMonitor::GetSnapshot),
         InstanceMethod("regions", &AccessMonitor::Regions), InstanceMethod("sizeLimit", &AccessMonitor::SizeLimit),
         InstanceMethod("running", &AccessMonitor::Running), InstanceMethod("signal", &AccessMonitor::Signal)});
  }

  // new AccessMonitor({attrs, targets: [{ranges?}], source, seed}); `source` is one of the
  // source classes' objects, which feeds this monitor only.
  explicit AccessMonitor(const Napi::CallbackInfo& info) : Napi::ObjectWrap<AccessMonitor>(info) {
    Napi::Env env = info.Env();
    if (!info[0].IsObject()) throw Napi::TypeError::New(env, "AccessMonitor options must be an object");
    const auto options = info[0].As<Napi::Object>();
    const monitor::Attrs attrs = ReadAttrs(options.Get("attrs"));
    const std::string error = monitor::ValidateAttrs(attrs);
    if (!error.empty()) throw Napi::RangeError::New(env, error);
    std::vector<monitor::TargetSpec> targets = ReadTargets(options.Get("targets"));
    const uint64_t seed = ReadUint(options, "seed", 1);
    SourceBinding& source = UnwrapSource(env, options.Get("source"));
    runner_ = source.Bind(env, attrs, std::move(targets), seed);
    signal_ = source.signal();
  }

  ~AccessMonitor() override { Shutdown(); }

 private:
  void RequireIdle(Napi::Env env, const char* what) {
    if (runner_->running() || thread_active_)
      throw Napi::Error::New(env, std::string(what) + " is not possible while the monitor thread runs");
  }

  // The runner of our own monitoring core; the kernel's kdamond cannot be stepped or inspected.
  monitor::MonitorRunner& Stepper(Napi::Env env, const char* what) {
    monitor::MonitorRunner* stepper = runner_->stepper();
    if (stepper == nullptr)
      throw NotSupported(
          env, std::string(what) + " needs a source the monitor samples itself; the kernel's kdamond runs in real time");
    return *stepper;
  }

  // step(samples): run iterations now, on this thread; returns the completed snapshots.
  Napi::Value Step(const Napi::CallbackInfo& info) {
    RequireIdle(info.Env(), "step()");
    const auto samples = static_cast<uint64_t>(info[0].As<Napi::Number>().DoubleValue());
    const auto snaps = Stepper(info.Env(), "step()").Step(samples);
    auto arr = Napi::Array::New(info.Env(), snaps.size());
    for (uint32_t i = 0; i < snaps.size(); i++) arr.Set(i, SnapshotToJs(info.Env(), snaps[i]));
    return arr;
  }

  // start(onEvent): onEvent('aggregate', snapshot) each aggregation, onEvent('stopped', error?) once.
  Napi::Value Start(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    RequireIdle(env, "start()");
    if (!info[0].IsFunction()) throw Napi::TypeError::New(env, "start needs an event callback");
    tsfn_ = MessageTsfn::New(env, info[0].As<Napi::Function>(), "thp-autotune access monitor", 0, 1);
    tsfn_.Unref(env);
    // Keep this object alive while its thread runs, even if JS drops it.
    self_ = Napi::Persistent(Value().As<Napi::Object>());
    thread_active_ = true;
    env_ = env;
    napi_add_env_cleanup_hook(env, &AccessMonitor::OnEnvCleanup, this);
    queued_ = 0;
    auto tsfn = tsfn_;
    runner_->Start(
        [this, tsfn](std::shared_ptr<const monitor::Snapshot> s) mutable {
          if (queued_.load() >= kMaxQueuedSnapshots) return;
          queued_++;
          auto* m = new Message{this, false, "", std::move(s)};
          if (tsfn.NonBlockingCall(m) != napi_ok) {
            queued_--;
            delete m;
          }
        },
        [this, tsfn](const std::string& error) mutable {
          auto* m = new Message{this, true, error, nullptr};
          if (tsfn.NonBlockingCall(m) != napi_ok) delete m;
        });
    return env.Undefined();
  }

  friend void DeliverMessage(Napi::Env env, Napi::Function callback, std::nullptr_t* context, Message* m);
  // While a worker's environment shuts down, the calls below fail; node-addon-api, built with
  // NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS (binding.gyp), then drops the error instead of
  // aborting the process, and the cleanup hook joins the thread.
  static void CallJs(Napi::Env env, Napi::Function callback, Message* m) {
    std::unique_ptr<Message> message(m);
    if (env == nullptr) return;  // the environment is gone
    if (message->finished) {
      // The thread has delivered its last message; joining it does not wait.
      message->owner->FinishStop();
      callback.Call(
          {Napi::String::New(env, "stopped"), message->error.empty() ? env.Undefined() : Napi::String::New(env, message->error)});
    } else {
      message->owner->queued_--;
      callback.Call({Napi::String::New(env, "aggregate"), SnapshotToJs(env, *message->snapshot)});
    }
  }

  // stop(): only signals the thread, which wakes at once; the 'stopped' event follows when
  // it has ended (and has been joined). Until then the process stays alive so that a
  // caller awaiting the stop gets its answer; that is one sampling step at most.
  Napi::Value Stop(const Napi::CallbackInfo& info) {
    runner_->RequestStop();
    if (thread_active_) tsfn_.Ref(info.Env());
    // Idle after stepping: release the source's OS resources now.
    if (!thread_active_ && runner_->stepper() != nullptr) runner_->stepper()->ReleaseSource();
    return info.Env().Undefined();
  }

  // process.exit() ends the process without the environment cleanup below, which would
  // leave the kernel's kdamond running: the JS 'exit' listener (lib/monitor) calls this to
  // stop the thread and wait for it, so it gives the kdamond back. Blocks for up to one
  // sampling step (kernel: one aggregation). The 'stopped' message it queues is never delivered.
  Napi::Value StopAtExit(const Napi::CallbackInfo& info) {
    runner_->RequestStop();
    runner_->Join();
    return info.Env().Undefined();
  }

  void FinishStop() {
    runner_->Join();
    if (!thread_active_) return;
    thread_active_ = false;
    napi_remove_env_cleanup_hook(env_, &AccessMonitor::OnEnvCleanup, this);
    tsfn_.Release();
    self_.Reset();
  }

  // Process or worker exit while the thread runs: stop it and wait (a sampling step at most).
  static void OnEnvCleanup(void* arg) {
    auto* self = static_cast<AccessMonitor*>(arg);
    self->runner_->RequestStop();
    self->runner_->Join();
    self->thread_active_ = false;
  }

  void Shutdown() {
    runner_->RequestStop();
    runner_->Join();
  }

  Napi::Value SetAttrs(const Napi::CallbackInfo& info) {
    const std::string error = runner_->RequestAttrs(ReadAttrs(info[0]));
    if (!error.empty()) throw Napi::RangeError::New(info.Env(), error);
    return info.Env().Undefined();
  }

  // setTargets([{ranges}]): new ranges for the fixed targets, regions' history kept where they
  // still overlap (applied at the thread's next iteration while it runs).
  Napi::Value SetTargets(const Napi::CallbackInfo& info) {
    auto targets = ReadTargets(info[0]);
    const std::string error = Stepper(info.Env(), "setTargets()").RequestTargetRanges(std::move(targets));
    if (!error.empty()) throw Napi::RangeError::New(info.Env(), error);
    return info.Env().Undefined();
  }

  Napi::Value GetAttrs(const Napi::CallbackInfo& info) { return AttrsToJs(info.Env(), runner_->attrs()); }

  Napi::Value GetSnapshot(const Napi::CallbackInfo& info) {
    const auto latest = runner_->Latest();
    if (!latest) return info.Env().Null();
    return SnapshotToJs(info.Env(), *latest);
  }

  // regions(): every target's full region state (including lastNrAccesses), when idle.
  Napi::Value Regions(const Napi::CallbackInfo& info) {
    RequireIdle(info.Env(), "regions()");
    const auto& targets = Stepper(info.Env(), "regions()").core().targets();
    auto arr = Napi::Array::New(info.Env(), targets.size());
    for (uint32_t i = 0; i < targets.size(); i++) arr.Set(i, RegionsToJs(info.Env(), targets[i].regions));
    return arr;
  }

  Napi::Value SizeLimit(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(Stepper(info.Env(), "sizeLimit()").core().size_limit()));
  }

  Napi::Value Running(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), thread_active_); }

  Napi::Value Signal(const Napi::CallbackInfo& info) {
    return Napi::String::New(info.Env(), signal_ == monitor::AccessSignal::kWrite ? "write" : "access");
  }

  // Shared with the source object, which asks it whether the thread runs; the source itself
  // is held by the driver, so neither object's finalizer depends on the other's.
  std::shared_ptr<monitor::MonitorDriver> runner_;
  monitor::AccessSignal signal_ = monitor::AccessSignal::kAccess;
  MessageTsfn tsfn_;
  Napi::ObjectReference self_;
  napi_env env_ = nullptr;
  bool thread_active_ = false;
  std::atomic<int> queued_{0};
};

void DeliverMessage(Napi::Env env, Napi::Function callback, std::nullptr_t* /*context*/, Message* m) {
  AccessMonitor::CallJs(env, callback, m);
}

}  // namespace

void RegisterAccessMonitor(Napi::Env env, Napi::Object exports) { exports.Set("AccessMonitor", AccessMonitor::Define(env)); }

}  // namespace thp::addon
