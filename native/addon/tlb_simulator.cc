// JS class TlbSimulator: N-API binding of thp::tlbsim::Simulator. Options arrive already
// validated by lib/simulator/options.ts as a plain object, read by tlbsim_convert.cc.
//
// Concurrency: a long run executes on a worker thread (AsyncWorker). While it is in flight
// every other call on the same object is REJECTED with an Error whose code is
// "ERR_THP_SIMULATOR_BUSY" (not queued), because the simulator state is not thread-safe and
// silently queueing would make stats() observe a half-finished run.
#include <napi.h>

#include <memory>
#include <string>

#include "addon/collapse_result.h"
#include "addon/exports.h"
#include "addon/tlbsim_convert.h"
#include "core/tlbsim/presets.h"
#include "core/tlbsim/simulator.h"
#include "core/tlbsim/trace_reader.h"
#include "core/tlbsim/workloads.h"
#include "platform/huge_slab.h"

namespace thp::addon {

namespace {

using tlbsim::SimConfig;

// Executes a RunSpec; returns an error message (empty on success). Used by both the
// synchronous path and the worker thread.
std::string Execute(tlbsim::Simulator& sim, const RunSpec& run) {
  if (!run.trace) {
    tlbsim::WorkloadGenerator gen(run.spec);
    sim.Run(gen, run.count);
    return "";
  }
  tlbsim::TraceReader reader;
  std::string error;
  if (!reader.Open(run.path, &error)) return error;
  constexpr size_t kChunk = 4096;
  std::unique_ptr<uint64_t[]> addrs(new uint64_t[kChunk]);
  std::unique_ptr<uint8_t[]> writes(new uint8_t[kChunk]);
  uint64_t left = run.count == 0 ? UINT64_MAX : run.count;
  while (left > 0) {
    const size_t want = left < kChunk ? static_cast<size_t>(left) : kChunk;
    const size_t got = reader.Next(addrs.get(), writes.get(), want, &error);
    if (!error.empty()) return error;
    if (got == 0) break;
    sim.AccessBatch(addrs.get(), writes.get(), got, false);
    left -= got;
  }
  return "";
}

Napi::Error CodedError(Napi::Env env, const std::string& code, const std::string& message) {
  auto e = Napi::Error::New(env, message);
  e.Set("code", code);
  return e;
}

class TlbSimulator : public Napi::ObjectWrap<TlbSimulator> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "TlbSimulator",
                       {
                           InstanceMethod<&TlbSimulator::Map>("map"),
                           InstanceMethod<&TlbSimulator::Unmap>("unmap"),
                           InstanceMethod<&TlbSimulator::Collapse>("collapse"),
                           InstanceMethod<&TlbSimulator::Split>("split"),
                           InstanceMethod<&TlbSimulator::TestAndClear>("testAndClear"),
                           InstanceMethod<&TlbSimulator::Lookup>("lookup"),
                           InstanceMethod<&TlbSimulator::MappedRanges>("mappedRanges"),
                           InstanceMethod<&TlbSimulator::Access>("access"),
                           InstanceMethod<&TlbSimulator::RunSync>("runSync"),
                           InstanceMethod<&TlbSimulator::RunAsync>("runAsync"),
                           InstanceMethod<&TlbSimulator::Stats>("stats"),
                           InstanceMethod<&TlbSimulator::Reset>("reset"),
                           InstanceMethod<&TlbSimulator::ClearCounters>("clearCounters"),
                       });
  }

  explicit TlbSimulator(const Napi::CallbackInfo& info) : Napi::ObjectWrap<TlbSimulator>(info) {
    sim_ = std::make_unique<tlbsim::Simulator>(ReadSimConfig(info[0].As<Napi::Object>()));
  }

  tlbsim::Simulator& sim() { return *sim_; }
  void set_busy(bool b) { busy_ = b; }

 private:
  void CheckIdle(Napi::Env env) const {
    if (busy_) {
      throw CodedError(env, "ERR_THP_SIMULATOR_BUSY",
                       "a run is in progress on this TlbSimulator; await it before calling other methods");
    }
  }

  Napi::Value Map(const Napi::CallbackInfo& info) {
    CheckIdle(info.Env());
    const auto status = sim_->Map(ToUint64(info[0]), ToUint64(info[1]), PageSizeFromName(info[2].As<Napi::String>()));
    static const char* const names[] = {"ok", "unaligned", "out-of-range", "overlaps", "unsupported-size", "out-of-frames"};
    return Napi::String::New(info.Env(), names[static_cast<int>(status)]);
  }

  Napi::Value Unmap(const Napi::CallbackInfo& info) {
    CheckIdle(info.Env());
    return Napi::Number::New(info.Env(), static_cast<double>(sim_->Unmap(ToUint64(info[0]), ToUint64(info[1]))));
  }

  Napi::Value Collapse(const Napi::CallbackInfo& info) {
    CheckIdle(info.Env());
    const auto r = sim_->Collapse(ToUint64(info[0]), info[1].As<Napi::Number>().Uint32Value());
    return CollapseResultToJs(info.Env(), r);
  }

  Napi::Value Split(const Napi::CallbackInfo& info) {
    CheckIdle(info.Env());
    return Napi::Boolean::New(info.Env(), sim_->Split(ToUint64(info[0])));
  }

  // testAndClear(addr, 'accessed' | 'dirty', flush)
  Napi::Value TestAndClear(const Napi::CallbackInfo& info) {
    CheckIdle(info.Env());
    const uint64_t va = ToUint64(info[0]);
    const bool flush = info[2].As<Napi::Boolean>();
    const bool dirty = info[1].As<Napi::String>().Utf8Value() == "dirty";
    return Napi::Boolean::New(info.Env(), dirty ? sim_->TestAndClearDirty(va, flush) : sim_->TestAndClearAccessed(va, flush));
  }

  Napi::Value Lookup(const Napi::CallbackInfo& info) {
    CheckIdle(info.Env());
    tlbsim::Leaf leaf;
    if (!sim_->page_table().Lookup(ToUint64(info[0]), &leaf)) return info.Env().Null();
    auto o = Napi::Object::New(info.Env());
    o.Set("pageSize", PageSizeName(leaf.size));
    o.Set("physBase", Napi::BigInt::New(info.Env(), leaf.phys_base));
    o.Set("accessed", leaf.accessed);
    o.Set("dirty", leaf.dirty);
    return o;
  }

  Napi::Value MappedRanges(const Napi::CallbackInfo& info) {
    CheckIdle(info.Env());
    auto out = Napi::Array::New(info.Env());
    sim_->page_table().ForEachMappedRange(ToUint64(info[0]), ToUint64(info[1]), [&](const tlbsim::MappedRange& r) {
      auto o = Napi::Object::New(info.Env());
      o.Set("start", Napi::BigInt::New(info.Env(), r.start));
      o.Set("length", static_cast<double>(r.length));
      o.Set("pageSize", PageSizeName(r.size));
      out.Set(out.Length(), o);
    });
    return out;
  }

  // access(addresses: BigUint64Array | Float64Array, writes: boolean | Uint8Array): reads the
  // caller's buffer in place (no copy).
  Napi::Value Access(const Napi::CallbackInfo& info) {
    CheckIdle(info.Env());
    const auto arr = info[0].As<Napi::TypedArray>();
    const uint8_t* flags = nullptr;
    bool all_write = false;
    if (info[1].IsTypedArray()) flags = info[1].As<Napi::Uint8Array>().Data();
    else all_write = info[1].As<Napi::Boolean>();
    if (arr.TypedArrayType() == napi_biguint64_array) {
      const auto a = info[0].As<Napi::TypedArrayOf<uint64_t>>();
      sim_->AccessBatch(a.Data(), flags, a.ElementLength(), all_write);
    } else {
      const auto a = info[0].As<Napi::Float64Array>();
      if (flags) {
        for (size_t i = 0; i < a.ElementLength(); ++i) sim_->Access(static_cast<uint64_t>(a[i]), flags[i] != 0);
      } else {
        sim_->AccessBatch(a.Data(), a.ElementLength(), all_write);
      }
    }
    return info.Env().Undefined();
  }

  Napi::Value RunSync(const Napi::CallbackInfo& info) {
    CheckIdle(info.Env());
    const std::string error = Execute(*sim_, ReadRunSpec(info[0].As<Napi::Object>()));
    if (!error.empty()) throw CodedError(info.Env(), "ERR_THP_TRACE", error);
    return info.Env().Undefined();
  }

  Napi::Value RunAsync(const Napi::CallbackInfo& info);

  Napi::Value Stats(const Napi::CallbackInfo& info);

  Napi::Value Reset(const Napi::CallbackInfo& info) {
    CheckIdle(info.Env());
    sim_->Reset();
    return info.Env().Undefined();
  }

  Napi::Value ClearCounters(const Napi::CallbackInfo& info) {
    CheckIdle(info.Env());
    sim_->ClearCounters();
    return info.Env().Undefined();
  }

  std::unique_ptr<tlbsim::Simulator> sim_;
  bool busy_ = false;
};

// Runs a workload on the libuv pool; holds a reference to the JS object so it outlives the run.
class RunWorker : public Napi::AsyncWorker {
 public:
  RunWorker(Napi::Env env, Napi::Object owner, TlbSimulator* sim, RunSpec spec)
      : Napi::AsyncWorker(env, "thp-autotune:tlbsim-run"),
        deferred_(Napi::Promise::Deferred::New(env)),
        owner_(Napi::Persistent(owner)),
        sim_(sim),
        spec_(std::move(spec)) {}

  Napi::Promise Promise() const { return deferred_.Promise(); }

  void Execute() override {
    const std::string error = thp::addon::Execute(sim_->sim(), spec_);
    if (!error.empty()) SetError(error);
  }
  void OnOK() override {
    sim_->set_busy(false);
    deferred_.Resolve(Env().Undefined());
  }
  void OnError(const Napi::Error& e) override {
    sim_->set_busy(false);
    deferred_.Reject(CodedError(Env(), "ERR_THP_TRACE", e.Message()).Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  Napi::ObjectReference owner_;  // keeps the JS object (and so sim_) alive during the run
  TlbSimulator* sim_;
  RunSpec spec_;
};

Napi::Value TlbSimulator::RunAsync(const Napi::CallbackInfo& info) {
  CheckIdle(info.Env());
  auto* worker = new RunWorker(info.Env(), info.This().As<Napi::Object>(), this, ReadRunSpec(info[0].As<Napi::Object>()));
  busy_ = true;
  auto promise = worker->Promise();
  worker->Queue();
  return promise;
}

Napi::Value TlbSimulator::Stats(const Napi::CallbackInfo& info) {
  CheckIdle(info.Env());
  return SimStatsToJs(info.Env(), *sim_);
}

Napi::Value Presets(const Napi::CallbackInfo& info) {
  auto out = Napi::Object::New(info.Env());
  for (const auto& name : tlbsim::PresetNames()) {
    SimConfig c;
    tlbsim::LoadPreset(name, &c);
    out.Set(name, SimConfigToJs(info.Env(), c));
  }
  return out;
}

}  // namespace

void RegisterTlbSimulator(Napi::Env env, Napi::Object exports) {
  tlbsim::PageTable::SetSlabAdvice(platform::AdviseHugeSlab);
  auto tlbsim = Napi::Object::New(env);
  tlbsim.Set("TlbSimulator", TlbSimulator::Define(env));
  tlbsim.Set("presets", Napi::Function::New(env, Presets, "presets"));
  exports.Set("tlbsim", tlbsim);
}

}  // namespace thp::addon
