#include "addon/monitor_sources.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "addon/async_call.h"
#include "addon/collapse_result.h"
#include "addon/errors.h"
#include "addon/monitor_convert.h"
#include "core/access_pattern/pattern_source.h"
#include "core/monitor/monitor_runner.h"
#include "core/sim_source/sim_access_source.h"
#include "platform/kernel_damon.h"
#include "platform/pagemap_source.h"
#include "platform/thread_cpu.h"
#include "sources/referenced/referenced_source.h"

namespace thp::addon {

namespace {

// A source our monitoring core samples: the driver is a MonitorRunner owning it.
class SampledHandle : public SourceHandle {
 public:
  std::unique_ptr<monitor::MonitorDriver> CreateDriver(const monitor::Attrs& attrs, std::vector<monitor::TargetSpec> targets,
                                                       uint64_t seed) override {
    return std::make_unique<monitor::MonitorRunner>(Take(), std::make_unique<monitor::SeededRandom>(seed), attrs,
                                                    std::move(targets), &platform::ThreadCpuTimeNs);
  }

 protected:
  // Ownership of the source goes to the runner (called once); the handle keeps using it.
  virtual std::unique_ptr<monitor::AccessSource> Take() = 0;
};

Napi::Error NotSupported(Napi::Env env, const std::string& why_not) {
  auto error = Napi::Error::New(env, why_not);
  error.Set("code", Napi::String::New(env, "ERR_THP_NOT_SUPPORTED"));
  return error;
}

std::vector<access_pattern::HotRange> ReadHotRanges(const Napi::Value& value) {
  std::vector<access_pattern::HotRange> out;
  for (const auto& t : ReadTuples(value, 2, 3, "[start, end, probabilityBp?]"))
    out.push_back({static_cast<uint64_t>(t[0]), static_cast<uint64_t>(t[1]),
                   t.size() > 2 ? static_cast<uint32_t>(t[2]) : 10000u});
  return out;
}

// kind 'pattern': {mappings: [[s, e]], hot: [[s, e, probabilityBp]]}; commands setHot, setMappings.
class PatternHandle final : public SampledHandle {
 public:
  PatternHandle(const Napi::Object& o, uint64_t seed)
      : owned_(std::make_unique<access_pattern::PatternSource>(ReadRanges(o.Get("mappings")), seed ^ 0x5eed)),
        source_(owned_.get()) {
    if (o.Has("hot")) source_->SetHotRanges(ReadHotRanges(o.Get("hot")));
  }
  std::unique_ptr<monitor::AccessSource> Take() override { return std::move(owned_); }
  monitor::AccessSignal signal() const override { return monitor::AccessSignal::kAccess; }
  Napi::Value Control(const Napi::CallbackInfo& info, bool running) override {
    const std::string command = info[0].ToString();
    if (running) throw Napi::Error::New(info.Env(), "the pattern source cannot change while the monitor thread runs");
    if (command == "setHot")
      source_->SetHotRanges(ReadHotRanges(info[1]));
    else if (command == "setMappings")
      source_->SetMappings(ReadRanges(info[1]));
    else
      throw Napi::Error::New(info.Env(), "unknown pattern source command " + command);
    return info.Env().Undefined();
  }

 private:
  std::unique_ptr<access_pattern::PatternSource> owned_;
  access_pattern::PatternSource* source_;
};

double ReadDouble(const Napi::Object& o, const char* key, double fallback) {
  const Napi::Value v = o.Get(key);
  return v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : fallback;
}

// kind 'sim': {mappings: [[s, e, pageBytes]], hot: [[s, e]], hotShare, accessesPer5ms,
// writeFraction}; commands setHot(ranges), unmap([s, e]), and the tuner's memory operations
// collapse(va, maxPtesNone), split(va), discard([s, e]), residency([s, e]).
class SimHandle final : public SampledHandle {
 public:
  SimHandle(const Napi::Object& o, uint64_t seed) {
    std::vector<sim_source::SimMapping> mappings;
    for (const auto& t : ReadTuples(o.Get("mappings"), 3, 3, "[start, end, pageBytes]"))
      mappings.push_back({static_cast<uint64_t>(t[0]), static_cast<uint64_t>(t[1]),
                          t[2] == (1u << 21) ? tlbsim::PageSize::k2M : tlbsim::PageSize::k4K});
    sim_source::SimWorkload w;
    w.hot = ReadRanges(o.Get("hot"));
    w.hot_share = ReadDouble(o, "hotShare", w.hot_share);
    w.accesses_per_5ms = ReadUint(o, "accessesPer5ms", w.accesses_per_5ms);
    w.write_fraction = ReadDouble(o, "writeFraction", w.write_fraction);
    try {
      owned_ = std::make_unique<sim_source::SimAccessSource>(mappings, std::move(w), seed ^ 0x51a5);
    } catch (const std::invalid_argument& e) {
      throw Napi::RangeError::New(o.Env(), e.what());
    }
    source_ = owned_.get();
  }
  std::unique_ptr<monitor::AccessSource> Take() override { return std::move(owned_); }
  monitor::AccessSignal signal() const override { return monitor::AccessSignal::kAccess; }
  Napi::Value Control(const Napi::CallbackInfo& info, bool running) override {
    const std::string command = info[0].ToString();
    if (running) throw Napi::Error::New(info.Env(), "the sim source cannot change while the monitor thread runs");
    if (command == "setHot") {
      source_->SetHot(ReadRanges(info[1]));
      return info.Env().Undefined();
    }
    if (command == "unmap") {
      uint64_t gone = 0;
      for (const auto& r : ReadRanges(info[1])) gone += source_->Unmap(r.start, r.end);
      return Napi::Number::New(info.Env(), static_cast<double>(gone));
    }
    if (command == "collapse") return Collapse(info);
    if (command == "split") return Napi::Boolean::New(info.Env(), source_->SplitPmd(ReadAddress(info[1])));
    if (command == "discard") {
      uint64_t gone = 0;
      for (const auto& r : ReadRanges(info[1])) gone += source_->Discard(r.start, r.end);
      return Napi::Number::New(info.Env(), static_cast<double>(gone));
    }
    if (command == "residency") return Residency(info);
    if (command == "probe") return Probe(info);
    throw Napi::Error::New(info.Env(), "unknown sim source command " + command);
  }

 private:
  static uint64_t ReadAddress(const Napi::Value& v) { return static_cast<uint64_t>(v.As<Napi::Number>().DoubleValue()); }

  // collapse(va, maxPtesNone) -> {status, nonePtes, filledPages}
  Napi::Value Collapse(const Napi::CallbackInfo& info) {
    const auto r = source_->Collapse(ReadAddress(info[1]), info[2].As<Napi::Number>().Uint32Value());
    return CollapseResultToJs(info.Env(), r, "collapsed");
  }

  // residency([start, end]) -> per whole 2 MiB unit [address, residentPages, pmdMapped]
  Napi::Value Residency(const Napi::CallbackInfo& info) {
    constexpr uint64_t kUnit = tlbsim::PageBytes(tlbsim::PageSize::k2M);
    const auto t = info[1].As<Napi::Array>();
    const uint64_t start = (ReadAddress(t.Get(0u)) + kUnit - 1) & ~(kUnit - 1);
    const uint64_t end = ReadAddress(t.Get(1u)) & ~(kUnit - 1);
    auto out = Napi::Array::New(info.Env());
    uint32_t n = 0;
    for (uint64_t u = start; u < end; u += kUnit) {
      uint64_t resident = 0;
      bool pmd = false;
      source_->page_table().ForEachMappedRange(u, u + kUnit, [&](const tlbsim::MappedRange& m) {
        resident += m.length;
        if (m.size != tlbsim::PageSize::k4K) pmd = true;
      });
      auto row = Napi::Array::New(info.Env(), 3);
      row.Set(0u, static_cast<double>(u));
      const uint64_t residentPages = resident / tlbsim::PageBytes(tlbsim::PageSize::k4K);
      row.Set(1u, static_cast<double>(residentPages));
      row.Set(2u, pmd);
      out.Set(n++, row);
    }
    return out;
  }

  // probe([[s, e], ...]) -> per range, its 4 KiB pages accessed since the last probe (or
  // sample) of each, clearing their Accessed bits: the tuner's unit probe, as the pagemap
  // source's written pages. Synchronous: the simulated process runs on the JS thread.
  Napi::Value Probe(const Napi::CallbackInfo& info) {
    constexpr uint64_t kPage = tlbsim::PageBytes(tlbsim::PageSize::k4K);
    const auto ranges = ReadRanges(info[1]);
    auto out = Napi::Array::New(info.Env(), ranges.size());
    for (uint32_t i = 0; i < ranges.size(); i++) {
      uint64_t accessed = 0;
      for (uint64_t p = ranges[i].start; p < ranges[i].end; p += kPage) accessed += source_->TestAndClearAccessed(p) ? 1 : 0;
      out.Set(i, static_cast<double>(accessed));
    }
    return out;
  }

  std::unique_ptr<sim_source::SimAccessSource> owned_;
  sim_source::SimAccessSource* source_;
};

// kind 'pagemap': this process's memory (writes only); commands unprotect([s, e]) and
// protectHuge(bool), pause(bool) (thread-safe), registeredBytes(), and
// probe([[s, e], ...]) -> Promise of written pages per range (-1: not registered), off the JS thread.
class PagemapHandle final : public SampledHandle {
 public:
  explicit PagemapHandle(Napi::Env env) {
    std::string why_not;
    owned_ = platform::CreatePagemapSource(&why_not);
    if (!owned_) throw NotSupported(env, why_not);
    source_ = owned_.get();
  }
  std::unique_ptr<monitor::AccessSource> Take() override { return std::move(owned_); }
  monitor::AccessSignal signal() const override { return monitor::AccessSignal::kWrite; }
  Napi::Value Control(const Napi::CallbackInfo& info, bool running) override {
    const std::string command = info[0].ToString();
    if (command == "unprotect") {
      for (const auto& r : ReadRanges(info[1])) {
        const int err = source_->Unprotect(r.start, r.end);
        if (err != 0) throw ErrnoError(info.Env(), "UFFDIO_WRITEPROTECT", err, "clearing write-protection");
      }
      return info.Env().Undefined();
    }
    if (command == "pause") {
      source_->SetPaused(info[1].ToBoolean());
      return info.Env().Undefined();
    }
    if (command == "protectHuge") {
      source_->SetProtectHuge(info[1].ToBoolean());
      return info.Env().Undefined();
    }
    if (command == "registeredBytes") return Napi::Number::New(info.Env(), static_cast<double>(source_->RegisteredBytes()));
    if (command == "probe") return Probe(info);
    throw Napi::Error::New(info.Env(), "unknown pagemap source command " + command);
  }

 private:
  Napi::Value Probe(const Napi::CallbackInfo& info) {
    const auto ranges = ReadRanges(info[1]);
    // The monitor object (and with it the source) stays alive until the result is delivered;
    // the reference is released on the JS thread, with the toJs function holding it.
    auto keep = std::make_shared<Napi::ObjectReference>(Napi::Persistent(info.This().As<Napi::Object>()));
    platform::PagemapSource* source = source_;
    return RunAsync<std::vector<int64_t>>(
        info.Env(),
        [source, ranges] {
          std::vector<int64_t> pages;
          pages.reserve(ranges.size());
          for (const auto& r : ranges) pages.push_back(source->WrittenPages(r.start, r.end));
          return pages;
        },
        [keep](Napi::Env env, const std::vector<int64_t>& pages) -> Napi::Value {
          auto out = Napi::Array::New(env, pages.size());
          for (uint32_t i = 0; i < pages.size(); i++) out.Set(i, static_cast<double>(pages[i]));
          return out;
        });
  }

  std::unique_ptr<platform::PagemapSource> owned_;
  platform::PagemapSource* source_;
};

// kind 'referenced': {minIntervalUs, cpuBudgetBp, programBudgetBp}; this process's memory, reads and writes
// (sources/referenced/referenced_source.h). Commands state() and probe([[s, e], ...]) ->
// referenced pages per range (-1: no window yet, or not monitored); both thread-safe.
class ReferencedHandle final : public SampledHandle {
 public:
  ReferencedHandle(Napi::Env env, const Napi::Object& o) {
    sources::ReferencedOptions options;
    options.min_interval_us = ReadUint(o, "minIntervalUs", options.min_interval_us);
    options.cpu_budget_bp = static_cast<uint32_t>(ReadUint(o, "cpuBudgetBp", options.cpu_budget_bp));
    options.program_budget_bp = static_cast<uint32_t>(ReadUint(o, "programBudgetBp", options.program_budget_bp));
    std::string why_not;
    owned_ = sources::CreateReferencedSource(options, &why_not);
    if (!owned_) throw NotSupported(env, why_not);
    source_ = owned_.get();
  }
  std::unique_ptr<monitor::AccessSource> Take() override { return std::move(owned_); }
  monitor::AccessSignal signal() const override { return monitor::AccessSignal::kAccess; }
  Napi::Value Control(const Napi::CallbackInfo& info, bool /*running: every command is thread-safe*/) override {
    const std::string command = info[0].ToString();
    if (command == "state") {
      const auto s = source_->State();
      auto out = Napi::Object::New(info.Env());
      out.Set("cycles", static_cast<double>(s.cycles));
      out.Set("lastCycleCpuNs", static_cast<double>(s.last_cycle_cpu_ns));
      out.Set("totalCycleCpuNs", static_cast<double>(s.total_cycle_cpu_ns));
      out.Set("intervalUs", static_cast<double>(s.interval_us));
      out.Set("accessBitNs", static_cast<double>(s.access_bit_ns));
      out.Set("lastWindowProgramNs", static_cast<double>(s.last_window_program_ns));
      out.Set("cellBytes", static_cast<double>(s.cell_bytes));
      out.Set("markedRanges", static_cast<double>(s.marked_ranges));
      return out;
    }
    if (command == "probe") {
      const auto ranges = ReadRanges(info[1]);
      auto out = Napi::Array::New(info.Env(), ranges.size());
      for (uint32_t i = 0; i < ranges.size(); i++) out.Set(i, static_cast<double>(source_->ReferencedPages(ranges[i].start, ranges[i].end)));
      return out;
    }
    throw Napi::Error::New(info.Env(), "unknown referenced source command " + command);
  }

 private:
  std::unique_ptr<sources::ReferencedSource> owned_;
  sources::ReferencedSource* source_;
};

// kind 'damon': {pid}; the kernel's kdamond watches that process (platform/kernel_damon.h).
// One target: the whole address space (vaddr) or its fixed ranges (fvaddr). No commands.
class DamonHandle final : public SourceHandle {
 public:
  DamonHandle(Napi::Env env, const Napi::Object& o) : env_(env), pid_(static_cast<int64_t>(ReadUint(o, "pid", 0))) {
    if (pid_ <= 0) throw Napi::RangeError::New(env, "source.pid must be a process id");
  }
  std::unique_ptr<monitor::MonitorDriver> CreateDriver(const monitor::Attrs& attrs, std::vector<monitor::TargetSpec> targets,
                                                       uint64_t /*seed: the kernel picks its own sampling addresses*/) override {
    if (targets.size() != 1) throw Napi::RangeError::New(env_, "the damon source monitors exactly one target");
    platform::KernelDamonOptions options;
    options.pid = pid_;
    options.ranges = targets[0].fixed_ranges;
    options.attrs = attrs;
    std::string why_not;
    auto driver = platform::CreateKernelDamonDriver(options, &why_not);
    if (!driver) throw NotSupported(env_, why_not);
    return driver;
  }
  monitor::AccessSignal signal() const override { return monitor::AccessSignal::kAccess; }
  Napi::Value Control(const Napi::CallbackInfo& info, bool) override {
    throw Napi::Error::New(info.Env(), "the damon source has no command " + info[0].ToString().Utf8Value());
  }

 private:
  Napi::Env env_;
  int64_t pid_;
};

}  // namespace

std::unique_ptr<SourceHandle> MakeAccessSource(Napi::Env env, const Napi::Value& options, uint64_t seed) {
  if (!options.IsObject()) throw Napi::TypeError::New(env, "source must be an object with a kind");
  const auto o = options.As<Napi::Object>();
  const std::string kind = o.Get("kind").ToString();
  if (kind == "pattern") return std::make_unique<PatternHandle>(o, seed);
  if (kind == "sim") return std::make_unique<SimHandle>(o, seed);
  if (kind == "pagemap") return std::make_unique<PagemapHandle>(env);
  if (kind == "referenced") return std::make_unique<ReferencedHandle>(env, o);
  if (kind == "damon") return std::make_unique<DamonHandle>(env, o);
  throw Napi::Error::New(env, "unknown access source kind " + kind);
}

}  // namespace thp::addon
