// JS class ReferencedSource (lib/sources/referenced.ts): this process's own memory, reads and
// writes, through MADV_COLD and smaps Referenced bytes per 2 MiB cell
// (native/sources/referenced/). Its methods are safe while the monitor thread samples: the
// source locks what they share, and neither reads a file.
#include "sources/referenced/referenced_source.h"

#include <memory>
#include <string>

#include "addon/counters.h"
#include "addon/exports.h"
#include "addon/monitor_convert.h"
#include "addon/sources/source_binding.h"

namespace thp::addon {

namespace {

// options {minIntervalUs, cpuBudgetBp, programBudgetBp, hugeIntervalUs, rateWindowUs}
std::shared_ptr<sources::ReferencedSource> MakeSource(const Napi::CallbackInfo& info) {
  sources::ReferencedOptions options;
  if (info[0].IsObject()) {
    const auto o = info[0].As<Napi::Object>();
    options.min_interval_us = ReadUint(o, "minIntervalUs", options.min_interval_us);
    options.cpu_budget_bp = static_cast<uint32_t>(ReadUint(o, "cpuBudgetBp", options.cpu_budget_bp));
    options.program_budget_bp = static_cast<uint32_t>(ReadUint(o, "programBudgetBp", options.program_budget_bp));
    options.huge_interval_us = ReadUint(o, "hugeIntervalUs", options.huge_interval_us);
    options.rate_window_us = ReadUint(o, "rateWindowUs", options.rate_window_us);
  }
  std::string why_not;
  std::shared_ptr<sources::ReferencedSource> source = sources::CreateReferencedSource(options, &why_not);
  if (!source) throw NotSupported(info.Env(), why_not);
  return source;
}

class ReferencedSourceWrap final : public SourceWrap<ReferencedSourceWrap> {
 public:
  explicit ReferencedSourceWrap(const Napi::CallbackInfo& info) : SourceWrap(info), source_(MakeSource(info)) {}

  static void Define(Napi::Env env, Napi::Object exports) {
    Register(env, exports, "ReferencedSource",
             {InstanceMethod<&ReferencedSourceWrap::State>("state"), InstanceMethod<&ReferencedSourceWrap::Probe>("probe"),
              InstanceMethod<&ReferencedSourceWrap::TakeRates>("takeRates")});
  }

  monitor::AccessSignal signal() const override { return monitor::AccessSignal::kAccess; }

 protected:
  std::shared_ptr<monitor::MonitorDriver> CreateDriver(Napi::Env /*env*/, const monitor::Attrs& attrs,
                                                       std::vector<monitor::TargetSpec> targets, uint64_t seed) override {
    return SampleWithCore(source_, attrs, std::move(targets), seed);
  }

 private:
  Napi::Value State(const Napi::CallbackInfo& info) {
    const auto s = source_->State();
    // The source's own units (ns, us); lib/sources/referenced.ts gives them in ms.
    return CountersToJs(info.Env(), {{"cycles", s.cycles},
                                     {"lastCycleCpuNs", s.last_cycle_cpu_ns},
                                     {"totalCycleCpuNs", s.total_cycle_cpu_ns},
                                     {"intervalUs", s.interval_us},
                                     {"accessBitNs", s.access_bit_ns},
                                     {"armingStallNs", s.arming_stall_ns},
                                     {"lastWindowProgramNs", s.last_window_program_ns},
                                     {"cellBytes", s.cell_bytes},
                                     {"markedRanges", s.marked_ranges},
                                     {"armedCells", s.armed_cells},
                                     {"carriedCells", s.carried_cells},
                                     {"lastWindowUs", s.last_window_us},
                                     {"rateWindowUs", s.rate_window_us},
                                     {"rateObservations", s.rate_observations}});
  }

  // takeRates() -> [[start, end, residentBytes, referencedBytes, windowNs, accessBitNs], ...]:
  // the rate cells observed since the last call. Reads no file: synchronous.
  Napi::Value TakeRates(const Napi::CallbackInfo& info) {
    const auto rates = source_->TakeRateObservations();
    auto out = Napi::Array::New(info.Env(), rates.size());
    for (uint32_t i = 0; i < rates.size(); i++) {
      const auto& r = rates[i];
      auto row = Napi::Array::New(info.Env(), 6);
      const uint64_t fields[] = {r.start, r.end, r.resident_bytes, r.referenced_bytes, r.window_ns, r.access_bit_ns};
      for (uint32_t k = 0; k < 6; k++) row.Set(k, static_cast<double>(fields[k]));
      out.Set(i, row);
    }
    return out;
  }

  // probe([[s, e], ...], maxAgeUs) -> referenced 4 KiB pages per range over its cells' latest
  // windows: the last one, and those closed within maxAgeUs (-1: the last one only); -1
  // where no cell of it was observed then. Reads no file: synchronous.
  Napi::Value Probe(const Napi::CallbackInfo& info) {
    const auto ranges = ReadRanges(info[0]);
    const int64_t max_age_us = info[1].As<Napi::Number>().Int64Value();
    auto out = Napi::Array::New(info.Env(), ranges.size());
    for (uint32_t i = 0; i < ranges.size(); i++)
      out.Set(i, static_cast<double>(source_->ReferencedPages(ranges[i].start, ranges[i].end, max_age_us)));
    return out;
  }

  std::shared_ptr<sources::ReferencedSource> source_;
};

}  // namespace

void RegisterReferencedSource(Napi::Env env, Napi::Object exports) { ReferencedSourceWrap::Define(env, exports); }

}  // namespace thp::addon
