// JS class PagemapSource (lib/sources/pagemap.ts): this process's own memory, sampled
// through userfaultfd write-protection and PAGEMAP_SCAN (native/sources/pagemap/). Its
// methods are safe while the monitor thread samples: the source locks what they share.
#include "sources/pagemap/pagemap_source.h"

#include <memory>
#include <string>

#include "addon/async_call.h"
#include "addon/errors.h"
#include "addon/exports.h"
#include "addon/monitor_convert.h"
#include "addon/sources/source_binding.h"

namespace thp::addon {

namespace {

std::shared_ptr<sources::PagemapSource> MakeSource(Napi::Env env) {
  std::string why_not;
  std::shared_ptr<sources::PagemapSource> source = sources::CreatePagemapSource(&why_not);
  if (!source) throw NotSupported(env, why_not);
  return source;
}

class PagemapSourceWrap final : public SourceWrap<PagemapSourceWrap> {
 public:
  explicit PagemapSourceWrap(const Napi::CallbackInfo& info) : SourceWrap(info), source_(MakeSource(info.Env())) {}

  static void Define(Napi::Env env, Napi::Object exports) {
    Register(env, exports, "PagemapSource",
             {InstanceMethod<&PagemapSourceWrap::Unprotect>("unprotect"),
              InstanceMethod<&PagemapSourceWrap::SetProtectHuge>("setProtectHuge"),
              InstanceMethod<&PagemapSourceWrap::SetPaused>("setPaused"),
              InstanceMethod<&PagemapSourceWrap::RegisteredBytes>("registeredBytes"),
              InstanceMethod<&PagemapSourceWrap::Probe>("probe")});
  }

  monitor::AccessSignal signal() const override { return monitor::AccessSignal::kWrite; }

 protected:
  std::shared_ptr<monitor::MonitorDriver> CreateDriver(Napi::Env /*env*/, const monitor::Attrs& attrs,
                                                       std::vector<monitor::TargetSpec> targets, uint64_t seed) override {
    return SampleWithCore(source_, attrs, std::move(targets), seed);
  }

 private:
  // unprotect([[s, e]])
  void Unprotect(const Napi::CallbackInfo& info) {
    for (const auto& r : ReadRanges(info[0])) {
      const int err = source_->Unprotect(r.start, r.end);
      if (err != 0) throw ErrnoError(info.Env(), "UFFDIO_WRITEPROTECT", err, "clearing write-protection");
    }
  }

  void SetProtectHuge(const Napi::CallbackInfo& info) { source_->SetProtectHuge(info[0].ToBoolean()); }

  void SetPaused(const Napi::CallbackInfo& info) { source_->SetPaused(info[0].ToBoolean()); }

  Napi::Value RegisteredBytes(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(source_->RegisteredBytes()));
  }

  // probe([[s, e], ...]) -> Promise of the pages written per range (-1: not registered), off
  // the JS thread; the work holds the source, so it outlives a collected JS object.
  Napi::Value Probe(const Napi::CallbackInfo& info) {
    const auto ranges = ReadRanges(info[0]);
    std::shared_ptr<sources::PagemapSource> source = source_;
    return RunAsync<std::vector<int64_t>>(
        info.Env(),
        [source, ranges] {
          std::vector<int64_t> pages;
          pages.reserve(ranges.size());
          for (const auto& r : ranges) pages.push_back(source->WrittenPages(r.start, r.end));
          return pages;
        },
        [](Napi::Env env, const std::vector<int64_t>& pages) -> Napi::Value {
          auto out = Napi::Array::New(env, pages.size());
          for (uint32_t i = 0; i < pages.size(); i++) out.Set(i, static_cast<double>(pages[i]));
          return out;
        });
  }

  std::shared_ptr<sources::PagemapSource> source_;
};

}  // namespace

void RegisterPagemapSource(Napi::Env env, Napi::Object exports) { PagemapSourceWrap::Define(env, exports); }

}  // namespace thp::addon
