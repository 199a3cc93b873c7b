// Runs platform work off the JS thread and settles a Promise with its result; the same
// conversion serves synchronous calls (pure parsers used by tests and tools).
// Failures become JS errors lib/native/errors.ts understands:
//   platform::SystemError   -> Error with `errno` ("ENOENT"), `syscall`, `path`
//   std::invalid_argument   -> Error with `format: true` (text that is not what it claims)
//   other std::exception    -> plain Error with its message
#pragma once
#include <napi.h>

#include <exception>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>

#include "addon/errors.h"
#include "platform/system_error.h"

namespace thp::addon {

// What a failed piece of work left behind, captured on the worker thread (no N-API there).
struct Failure {
  std::string message;
  std::string syscall;  // set for SystemError
  int errnoValue = 0;   // set for SystemError
  std::string path;
  bool format = false;
};

inline Failure CaptureFailure(const std::exception_ptr& thrown) {
  Failure failure;
  try {
    std::rethrow_exception(thrown);
  } catch (const platform::SystemError& e) {
    failure.message = e.what();
    failure.syscall = e.syscall();
    failure.errnoValue = e.errnoValue();
    failure.path = e.path();
  } catch (const std::invalid_argument& e) {
    failure.message = e.what();
    failure.format = true;
  } catch (const std::exception& e) {
    failure.message = e.what();
  }
  return failure;
}

inline Napi::Error FailureToJs(Napi::Env env, const Failure& failure) {
  if (failure.errnoValue != 0) {
    auto error = ErrnoError(env, failure.syscall, failure.errnoValue, failure.path);
    if (!failure.path.empty()) error.Set("path", failure.path);
    return error;
  }
  auto error = Napi::Error::New(env, failure.message);
  if (failure.format) error.Set("format", true);
  return error;
}

template <typename Result>
class PromiseWorker : public Napi::AsyncWorker {
 public:
  using Work = std::function<Result()>;
  using ToJs = std::function<Napi::Value(Napi::Env, const Result&)>;

  PromiseWorker(Napi::Env env, Work work, ToJs toJs)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), work_(std::move(work)), toJs_(std::move(toJs)) {}

  Napi::Promise Promise() const { return deferred_.Promise(); }

 protected:
  void Execute() override {
    try {
      result_ = work_();
    } catch (...) {
      failure_ = CaptureFailure(std::current_exception());
      SetError(failure_.message);
    }
  }
  // Run on the JS thread, also while a terminated worker's environment shuts down: the
  // conversion's failing N-API calls then end as a swallowed error (see binding.gyp).
  void OnOK() override { deferred_.Resolve(toJs_(Env(), result_)); }
  void OnError(const Napi::Error&) override { deferred_.Reject(FailureToJs(Env(), failure_).Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  Work work_;
  ToJs toJs_;
  Result result_{};
  Failure failure_;
};

// Queues `work` on the libuv pool; the Promise resolves with toJs(result).
template <typename Result>
Napi::Value RunAsync(Napi::Env env, std::function<Result()> work, std::function<Napi::Value(Napi::Env, const Result&)> toJs) {
  auto* worker = new PromiseWorker<Result>(env, std::move(work), std::move(toJs));
  auto promise = worker->Promise();
  worker->Queue();
  return promise;
}

// Runs `work` on the JS thread (for cheap, pure work) and throws the same errors RunAsync rejects with.
template <typename Result>
Napi::Value RunSync(Napi::Env env, const std::function<Result()>& work,
                    const std::function<Napi::Value(Napi::Env, const Result&)>& toJs) {
  Result result;
  try {
    result = work();
  } catch (...) {
    throw FailureToJs(env, CaptureFailure(std::current_exception()));
  }
  return toJs(env, result);
}

}  // namespace thp::addon
