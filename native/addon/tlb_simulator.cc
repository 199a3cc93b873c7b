// JS class TlbSimulator: N-API binding of thp::tlbsim::Simulator. Options arrive already
// validated by lib/simulator/options.ts as a plain object and are read into SimConfig here.
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
#include "core/tlbsim/presets.h"
#include "core/tlbsim/simulator.h"
#include "core/tlbsim/trace_reader.h"
#include "core/tlbsim/workloads.h"
#include "platform/huge_slab.h"

namespace thp::addon {

namespace {

using tlbsim::ArrayShape;
using tlbsim::PageSize;
using tlbsim::SimConfig;

const char* const kSizeNames[] = {"4k", "2m", "1g"};

PageSize SizeFromName(const std::string& s) {
  if (s == "2m") return PageSize::k2M;
  if (s == "1g") return PageSize::k1G;
  return PageSize::k4K;
}

uint64_t ToU64(const Napi::Value& v) {
  if (v.IsBigInt()) {
    bool lossless = true;
    return v.As<Napi::BigInt>().Uint64Value(&lossless);
  }
  return static_cast<uint64_t>(v.As<Napi::Number>().DoubleValue());
}

double Num(const Napi::Object& o, const char* key) { return o.Get(key).As<Napi::Number>().DoubleValue(); }
uint32_t U32(const Napi::Object& o, const char* key) { return o.Get(key).As<Napi::Number>().Uint32Value(); }

ArrayShape ReadShape(const Napi::Object& o) { return ArrayShape{U32(o, "entries"), U32(o, "ways")}; }

Napi::Object ShapeToJs(Napi::Env env, const ArrayShape& s) {
  auto o = Napi::Object::New(env);
  o.Set("entries", s.entries);
  o.Set("ways", s.ways);
  return o;
}

tlbsim::TlbLevelConfig ReadLevel(const Napi::Array& arr) {
  tlbsim::TlbLevelConfig level;
  for (uint32_t i = 0; i < arr.Length(); ++i) {
    const auto o = arr.Get(i).As<Napi::Object>();
    tlbsim::TlbArrayConfig a;
    a.shape = ReadShape(o);
    a.sizes = 0;
    const auto sizes = o.Get("sizes").As<Napi::Array>();
    for (uint32_t k = 0; k < sizes.Length(); ++k) a.sizes |= tlbsim::SizeBit(SizeFromName(sizes.Get(k).As<Napi::String>()));
    level.arrays.push_back(a);
  }
  return level;
}

Napi::Array LevelToJs(Napi::Env env, const tlbsim::TlbLevelConfig& level) {
  auto arr = Napi::Array::New(env, level.arrays.size());
  for (size_t i = 0; i < level.arrays.size(); ++i) {
    auto o = ShapeToJs(env, level.arrays[i].shape);
    auto sizes = Napi::Array::New(env);
    for (int s = 0; s < tlbsim::kPageSizeCount; ++s) {
      if (level.arrays[i].sizes & (1u << s)) sizes.Set(sizes.Length(), kSizeNames[s]);
    }
    o.Set("sizes", sizes);
    arr.Set(static_cast<uint32_t>(i), o);
  }
  return arr;
}

// Walk caches as {pde, pdpte, pml4, pml5}: index 1..4 of SimConfig::pwc.
const char* const kPwcNames[] = {nullptr, "pde", "pdpte", "pml4", "pml5"};

void ReadPwc(const Napi::Object& o, ArrayShape* pwc) {
  for (int l = 1; l < 5; ++l) pwc[l] = ReadShape(o.Get(kPwcNames[l]).As<Napi::Object>());
}

Napi::Object PwcToJs(Napi::Env env, const ArrayShape* pwc) {
  auto o = Napi::Object::New(env);
  for (int l = 1; l < 5; ++l) o.Set(kPwcNames[l], ShapeToJs(env, pwc[l]));
  return o;
}

SimConfig ReadConfig(const Napi::Object& o) {
  SimConfig c;
  c.name = o.Get("name").As<Napi::String>();
  c.levels = static_cast<int>(U32(o, "levels"));
  c.l1 = ReadLevel(o.Get("l1").As<Napi::Array>());
  c.l2 = ReadLevel(o.Get("l2").As<Napi::Array>());
  ReadPwc(o.Get("walkCaches").As<Napi::Object>(), c.pwc);
  c.pt_cache = ReadShape(o.Get("pageTableCache").As<Napi::Object>());
  const auto n = o.Get("nested").As<Napi::Object>();
  c.nested.enabled = n.Get("enabled").As<Napi::Boolean>();
  c.nested.host_page = SizeFromName(n.Get("hostPageSize").As<Napi::String>());
  c.nested.host_levels = static_cast<int>(U32(n, "hostLevels"));
  c.nested.nested_tlb = ReadShape(n.Get("nestedTlb").As<Napi::Object>());
  ReadPwc(n.Get("hostWalkCaches").As<Napi::Object>(), c.nested.host_pwc);
  const auto cost = o.Get("cost").As<Napi::Object>();
  c.cost.l2_hit_cycles = Num(cost, "l2HitCycles");
  c.cost.cache_ref_cycles = Num(cost, "cacheRefCycles");
  c.cost.dram_ref_cycles = Num(cost, "dramRefCycles");
  c.cost.base_access_cycles = Num(cost, "baseAccessCycles");
  return c;
}

Napi::Object ConfigToJs(Napi::Env env, const SimConfig& c) {
  auto o = Napi::Object::New(env);
  o.Set("name", c.name);
  o.Set("levels", c.levels);
  o.Set("l1", LevelToJs(env, c.l1));
  o.Set("l2", LevelToJs(env, c.l2));
  o.Set("walkCaches", PwcToJs(env, c.pwc));
  o.Set("pageTableCache", ShapeToJs(env, c.pt_cache));
  auto n = Napi::Object::New(env);
  n.Set("enabled", c.nested.enabled);
  n.Set("hostPageSize", kSizeNames[static_cast<int>(c.nested.host_page)]);
  n.Set("hostLevels", c.nested.host_levels);
  n.Set("nestedTlb", ShapeToJs(env, c.nested.nested_tlb));
  n.Set("hostWalkCaches", PwcToJs(env, c.nested.host_pwc));
  o.Set("nested", n);
  auto cost = Napi::Object::New(env);
  cost.Set("l2HitCycles", c.cost.l2_hit_cycles);
  cost.Set("cacheRefCycles", c.cost.cache_ref_cycles);
  cost.Set("dramRefCycles", c.cost.dram_ref_cycles);
  cost.Set("baseAccessCycles", c.cost.base_access_cycles);
  o.Set("cost", cost);
  return o;
}

// A workload as the worker needs it: a generator spec, or a trace file path.
struct RunSpec {
  bool trace = false;
  std::string path;
  tlbsim::WorkloadSpec spec;
  uint64_t count = 0;  // for a trace: the maximum number of accesses (0 = all)
};

RunSpec ReadRunSpec(const Napi::Object& o) {
  RunSpec r;
  const std::string kind = o.Get("kind").As<Napi::String>();
  r.count = static_cast<uint64_t>(Num(o, "count"));
  if (kind == "trace") {
    r.trace = true;
    r.path = o.Get("path").As<Napi::String>();
    return r;
  }
  static const struct {
    const char* name;
    tlbsim::WorkloadKind kind;
  } kinds[] = {{"uniform", tlbsim::WorkloadKind::kUniform},       {"zipf", tlbsim::WorkloadKind::kZipf},
               {"sequential", tlbsim::WorkloadKind::kSequential}, {"strided", tlbsim::WorkloadKind::kStrided},
               {"chase", tlbsim::WorkloadKind::kChase},           {"hotcold", tlbsim::WorkloadKind::kHotCold},
               {"phases", tlbsim::WorkloadKind::kPhases}};
  for (const auto& k : kinds) {
    if (kind == k.name) r.spec.kind = k.kind;
  }
  r.spec.base = ToU64(o.Get("base"));
  r.spec.bytes = ToU64(o.Get("bytes"));
  r.spec.granule = static_cast<uint64_t>(Num(o, "granule"));
  r.spec.seed = ToU64(o.Get("seed"));
  r.spec.write_fraction = Num(o, "writeFraction");
  r.spec.theta = Num(o, "theta");
  r.spec.stride = static_cast<uint64_t>(Num(o, "stride"));
  r.spec.hot_fraction = Num(o, "hotFraction");
  r.spec.hot_share = Num(o, "hotShare");
  r.spec.phase_length = static_cast<uint64_t>(Num(o, "phaseLength"));
  return r;
}

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
    sim_ = std::make_unique<tlbsim::Simulator>(ReadConfig(info[0].As<Napi::Object>()));
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
    const auto status = sim_->Map(ToU64(info[0]), ToU64(info[1]), SizeFromName(info[2].As<Napi::String>()));
    static const char* const names[] = {"ok", "unaligned", "out-of-range", "overlaps", "unsupported-size", "out-of-frames"};
    return Napi::String::New(info.Env(), names[static_cast<int>(status)]);
  }

  Napi::Value Unmap(const Napi::CallbackInfo& info) {
    CheckIdle(info.Env());
    return Napi::Number::New(info.Env(), static_cast<double>(sim_->Unmap(ToU64(info[0]), ToU64(info[1]))));
  }

  Napi::Value Collapse(const Napi::CallbackInfo& info) {
    CheckIdle(info.Env());
    const auto r = sim_->Collapse(ToU64(info[0]), info[1].As<Napi::Number>().Uint32Value());
    return CollapseResultToJs(info.Env(), r);
  }

  Napi::Value Split(const Napi::CallbackInfo& info) {
    CheckIdle(info.Env());
    return Napi::Boolean::New(info.Env(), sim_->Split(ToU64(info[0])));
  }

  // testAndClear(addr, 'accessed' | 'dirty', flush)
  Napi::Value TestAndClear(const Napi::CallbackInfo& info) {
    CheckIdle(info.Env());
    const uint64_t va = ToU64(info[0]);
    const bool flush = info[2].As<Napi::Boolean>();
    const bool dirty = info[1].As<Napi::String>().Utf8Value() == "dirty";
    return Napi::Boolean::New(info.Env(), dirty ? sim_->TestAndClearDirty(va, flush) : sim_->TestAndClearAccessed(va, flush));
  }

  Napi::Value Lookup(const Napi::CallbackInfo& info) {
    CheckIdle(info.Env());
    tlbsim::Leaf leaf;
    if (!sim_->page_table().Lookup(ToU64(info[0]), &leaf)) return info.Env().Null();
    auto o = Napi::Object::New(info.Env());
    o.Set("pageSize", kSizeNames[static_cast<int>(leaf.size)]);
    o.Set("physBase", Napi::BigInt::New(info.Env(), leaf.phys_base));
    o.Set("accessed", leaf.accessed);
    o.Set("dirty", leaf.dirty);
    return o;
  }

  Napi::Value MappedRanges(const Napi::CallbackInfo& info) {
    CheckIdle(info.Env());
    auto out = Napi::Array::New(info.Env());
    sim_->page_table().ForEachMappedRange(ToU64(info[0]), ToU64(info[1]), [&](const tlbsim::MappedRange& r) {
      auto o = Napi::Object::New(info.Env());
      o.Set("start", Napi::BigInt::New(info.Env(), r.start));
      o.Set("length", static_cast<double>(r.length));
      o.Set("pageSize", kSizeNames[static_cast<int>(r.size)]);
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
      : Napi::AsyncWorker(env, "thp-autotune:tlbsim-run"), deferred_(Napi::Promise::Deferred::New(env)),
        owner_(Napi::Persistent(owner)), sim_(sim), spec_(std::move(spec)) {}

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

Napi::Object LevelStats(Napi::Env env, const tlbsim::LevelCounters& c, const tlbsim::ReachUse& reach) {
  auto o = Napi::Object::New(env);
  o.Set("lookups", static_cast<double>(c.lookups));
  auto hits = Napi::Object::New(env);
  auto misses = Napi::Object::New(env);
  uint64_t total_hits = 0, total_misses = 0;
  for (int s = 0; s < tlbsim::kPageSizeCount; ++s) {
    hits.Set(kSizeNames[s], static_cast<double>(c.hits[s]));
    misses.Set(kSizeNames[s], static_cast<double>(c.misses[s]));
    total_hits += c.hits[s];
    total_misses += c.misses[s];
  }
  o.Set("hits", hits);
  o.Set("misses", misses);
  o.Set("totalHits", static_cast<double>(total_hits));
  o.Set("totalMisses", static_cast<double>(total_misses));
  auto r = Napi::Object::New(env);
  r.Set("usedBytes", static_cast<double>(reach.used_bytes));
  r.Set("entriesValid", static_cast<double>(reach.entries_valid));
  r.Set("entriesTotal", static_cast<double>(reach.entries_total));
  o.Set("reach", r);
  return o;
}

Napi::Object HitRate(Napi::Env env, uint64_t lookups, uint64_t hits) {
  auto o = Napi::Object::New(env);
  o.Set("lookups", static_cast<double>(lookups));
  o.Set("hits", static_cast<double>(hits));
  o.Set("hitRate", lookups ? static_cast<double>(hits) / static_cast<double>(lookups) : 0.0);
  return o;
}

Napi::Value TlbSimulator::Stats(const Napi::CallbackInfo& info) {
  CheckIdle(info.Env());
  Napi::Env env = info.Env();
  const auto& c = sim_->counters();
  const auto& w = sim_->walk_counters();
  auto o = Napi::Object::New(env);
  o.Set("accesses", static_cast<double>(c.accesses));
  o.Set("writes", static_cast<double>(c.writes));
  o.Set("faults", static_cast<double>(c.faults));
  o.Set("dirtyAssists", static_cast<double>(c.dirty_assists));
  o.Set("l1", LevelStats(env, c.l1, sim_->Reach(1)));
  o.Set("l2", LevelStats(env, c.l2, sim_->Reach(2)));
  auto walks = Napi::Object::New(env);
  walks.Set("walks", static_cast<double>(w.walks));
  walks.Set("faults", static_cast<double>(w.faults));
  walks.Set("refs", static_cast<double>(w.refs));
  walks.Set("guestRefs", static_cast<double>(w.guest_refs));
  walks.Set("hostRefs", static_cast<double>(w.host_refs));
  walks.Set("cacheRefs", static_cast<double>(w.cache_refs));
  walks.Set("dramRefs", static_cast<double>(w.dram_refs));
  walks.Set("refsPerWalk", w.walks ? static_cast<double>(w.refs) / static_cast<double>(w.walks) : 0.0);
  auto pwc = Napi::Object::New(env);
  for (int l = 1; l < 5; ++l) pwc.Set(kPwcNames[l], HitRate(env, w.pwc_lookups[l], w.pwc_hits[l]));
  walks.Set("walkCaches", pwc);
  walks.Set("hostWalkCaches", HitRate(env, w.host_pwc_lookups, w.host_pwc_hits));
  walks.Set("nestedTlb", HitRate(env, w.nested_tlb_lookups, w.nested_tlb_hits));
  walks.Set("hostFaults", static_cast<double>(w.host_faults));
  o.Set("walks", walks);
  const double translation = sim_->TranslationCycles();
  const double base = static_cast<double>(c.accesses) * sim_->config().cost.base_access_cycles;
  auto cycles = Napi::Object::New(env);
  cycles.Set("translation", translation);
  cycles.Set("translationPerAccess", c.accesses ? translation / static_cast<double>(c.accesses) : 0.0);
  cycles.Set("estimatedTotal", translation + base);
  o.Set("cycles", cycles);
  auto mem = Napi::Object::New(env);
  mem.Set("residentBytes", static_cast<double>(sim_->page_table().resident_bytes()));
  mem.Set("bloatBytes", static_cast<double>(sim_->page_table().bloat_bytes()));
  mem.Set("pageTableBytes", static_cast<double>(sim_->page_table().table_bytes()));
  o.Set("memory", mem);
  return o;
}

Napi::Value Presets(const Napi::CallbackInfo& info) {
  auto out = Napi::Object::New(info.Env());
  for (const auto& name : tlbsim::PresetNames()) {
    SimConfig c;
    tlbsim::LoadPreset(name, &c);
    out.Set(name, ConfigToJs(info.Env(), c));
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
