// JS class SimulatedSource (lib/sources/sim.ts): a simulated process, the TLB simulator's
// page table with a seeded workload (native/sources/sim/), and the memory operations a tuner
// applies to it. The simulated process runs on the JS thread (stepped monitors), so every
// method here is synchronous.
#include "sources/sim/sim_source.h"

#include <memory>
#include <stdexcept>

#include "addon/collapse_result.h"
#include "addon/exports.h"
#include "addon/monitor_convert.h"
#include "addon/sources/source_binding.h"

namespace thp::addon {

namespace {

using sources::sim::SimAccessSource;

constexpr uint64_t kUnit = tlbsim::PageBytes(tlbsim::PageSize::k2M);
constexpr uint64_t kPage = tlbsim::PageBytes(tlbsim::PageSize::k4K);

uint64_t ReadAddress(const Napi::Value& v) { return static_cast<uint64_t>(v.As<Napi::Number>().DoubleValue()); }

// {mappings: [[s, e, pageBytes]], hot: [[s, e]], hotShare, accessesPer5ms, writeFraction}
std::shared_ptr<SimAccessSource> MakeSource(const Napi::Value& value) {
  if (!value.IsObject()) throw Napi::TypeError::New(value.Env(), "the simulated source's options must be an object");
  const auto o = value.As<Napi::Object>();
  std::vector<sources::sim::SimMapping> mappings;
  for (const auto& t : ReadTuples(o.Get("mappings"), 3, 3, "[start, end, pageBytes]"))
    mappings.push_back({static_cast<uint64_t>(t[0]), static_cast<uint64_t>(t[1]),
                        t[2] == static_cast<double>(kUnit) ? tlbsim::PageSize::k2M : tlbsim::PageSize::k4K});
  sources::sim::SimWorkload w;
  w.hot = ReadRanges(o.Get("hot"));
  w.hot_share = o.Get("hotShare").As<Napi::Number>().DoubleValue();
  w.accesses_per_5ms = ReadUint(o, "accessesPer5ms", w.accesses_per_5ms);
  w.write_fraction = o.Get("writeFraction").As<Napi::Number>().DoubleValue();
  try {
    return std::make_shared<SimAccessSource>(mappings, std::move(w), 0);  // seeded when a monitor binds it
  } catch (const std::invalid_argument& e) {
    throw Napi::RangeError::New(value.Env(), e.what());
  }
}

using SimBase = SeededSourceWrap<class SimSourceWrap, SimAccessSource, 0x51a5>;

class SimSourceWrap final : public SimBase {
 public:
  explicit SimSourceWrap(const Napi::CallbackInfo& info) : SimBase(info, MakeSource(info[0])) {}

  static void Define(Napi::Env env, Napi::Object exports) {
    Register(env, exports, "SimulatedSource",
             {InstanceMethod<&SimSourceWrap::SetHotSet>("setHotSet"), InstanceMethod<&SimSourceWrap::Unmap>("unmap"),
              InstanceMethod<&SimSourceWrap::Collapse>("collapse"), InstanceMethod<&SimSourceWrap::Split>("split"),
              InstanceMethod<&SimSourceWrap::Discard>("discard"), InstanceMethod<&SimSourceWrap::Residency>("residency"),
              InstanceMethod<&SimSourceWrap::Probe>("probe")});
  }

 private:
  // Every method changes or walks the page table the monitor thread samples without a lock.
  SimAccessSource& Idle(const Napi::CallbackInfo& info) {
    RequireIdle(info.Env(), "using the simulated source");
    return *source_;
  }

  // setHotSet([[s, e]])
  void SetHotSet(const Napi::CallbackInfo& info) { Idle(info).SetHot(ReadRanges(info[0])); }

  // The bytes `remove` took out of each range of info[0] ([[s, e]]), added up.
  template <class Remove>
  Napi::Value BytesRemoved(const Napi::CallbackInfo& info, Remove remove) {
    SimAccessSource& source = Idle(info);
    uint64_t gone = 0;
    for (const auto& r : ReadRanges(info[0])) gone += remove(source, r);
    return Napi::Number::New(info.Env(), static_cast<double>(gone));
  }

  // unmap([[s, e]]) -> bytes unmapped
  Napi::Value Unmap(const Napi::CallbackInfo& info) {
    return BytesRemoved(info, [](SimAccessSource& s, const monitor::AddressRange& r) { return s.Unmap(r.start, r.end); });
  }

  // collapse(va, maxPtesNone) -> {status, nonePtes, filledPages}
  Napi::Value Collapse(const Napi::CallbackInfo& info) {
    const auto r = Idle(info).Collapse(ReadAddress(info[0]), info[1].As<Napi::Number>().Uint32Value());
    return CollapseResultToJs(info.Env(), r);
  }

  // split(va) -> whether a huge page was split
  Napi::Value Split(const Napi::CallbackInfo& info) {
    return Napi::Boolean::New(info.Env(), Idle(info).SplitPmd(ReadAddress(info[0])));
  }

  // discard([[s, e]]) -> bytes dropped
  Napi::Value Discard(const Napi::CallbackInfo& info) {
    return BytesRemoved(info, [](SimAccessSource& s, const monitor::AddressRange& r) { return s.Discard(r.start, r.end); });
  }

  // residency(start, end) -> per whole 2 MiB unit [address, residentPages, pmdMapped]
  Napi::Value Residency(const Napi::CallbackInfo& info) {
    const SimAccessSource& source = Idle(info);
    const uint64_t start = (ReadAddress(info[0]) + kUnit - 1) & ~(kUnit - 1);
    const uint64_t end = ReadAddress(info[1]) & ~(kUnit - 1);
    auto out = Napi::Array::New(info.Env());
    uint32_t n = 0;
    for (uint64_t u = start; u < end; u += kUnit) {
      uint64_t resident = 0;
      bool pmd = false;
      source.page_table().ForEachMappedRange(u, u + kUnit, [&](const tlbsim::MappedRange& m) {
        resident += m.length;
        if (m.size != tlbsim::PageSize::k4K) pmd = true;
      });
      auto row = Napi::Array::New(info.Env(), 3);
      row.Set(0u, static_cast<double>(u));
      const uint64_t resident_pages = resident / kPage;  // whole pages: mappings are page multiples
      row.Set(1u, static_cast<double>(resident_pages));
      row.Set(2u, pmd);
      out.Set(n++, row);
    }
    return out;
  }

  // probe([[s, e], ...]) -> per range, its 4 KiB pages accessed since the last probe (or
  // sample) of each, clearing their Accessed bits: the tuner's unit probe.
  Napi::Value Probe(const Napi::CallbackInfo& info) {
    SimAccessSource& source = Idle(info);
    const auto ranges = ReadRanges(info[0]);
    auto out = Napi::Array::New(info.Env(), ranges.size());
    for (uint32_t i = 0; i < ranges.size(); i++) {
      uint64_t accessed = 0;
      for (uint64_t p = ranges[i].start; p < ranges[i].end; p += kPage) accessed += source.TestAndClearAccessed(p) ? 1 : 0;
      out.Set(i, static_cast<double>(accessed));
    }
    return out;
  }
};

}  // namespace

void RegisterSimulatedSource(Napi::Env env, Napi::Object exports) { SimSourceWrap::Define(env, exports); }

}  // namespace thp::addon
