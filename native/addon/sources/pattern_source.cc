// JS class PatternSource (lib/sources/pattern.ts): the seeded synthetic access pattern of
// native/sources/pattern/, for tests and demonstrations.
#include <memory>

#include "addon/exports.h"
#include "addon/monitor_convert.h"
#include "addon/sources/source_binding.h"
#include "sources/pattern/pattern_source.h"

namespace thp::addon {

namespace {

using sources::pattern::HotRange;

// [[start, end, probabilityBp], ...]
std::vector<HotRange> ReadHotRanges(const Napi::Value& value) {
  std::vector<HotRange> out;
  for (const auto& t : ReadTuples(value, 3, 3, "[start, end, probabilityBp]"))
    out.push_back({static_cast<uint64_t>(t[0]), static_cast<uint64_t>(t[1]), static_cast<uint32_t>(t[2])});
  return out;
}

// A source's own draws use the monitor's seed mixed with a constant of their own, so they
// differ from the monitor's sampling-address draws.
constexpr uint64_t kSeedSalt = 0x5eed;

class PatternSourceWrap final : public SourceWrap<PatternSourceWrap> {
 public:
  // new PatternSource(mappings: [[s, e]], hot: [[s, e, probabilityBp]])
  explicit PatternSourceWrap(const Napi::CallbackInfo& info)
      : SourceWrap(info), source_(std::make_shared<sources::pattern::PatternSource>(ReadRanges(info[0]), 1 ^ kSeedSalt)) {
    source_->SetHotRanges(ReadHotRanges(info[1]));
  }

  static void Define(Napi::Env env, Napi::Object exports) {
    Register(env, exports, "PatternSource",
             {InstanceMethod<&PatternSourceWrap::SetHotRanges>("setHotRanges"),
              InstanceMethod<&PatternSourceWrap::SetMappings>("setMappings")});
  }

  monitor::AccessSignal signal() const override { return monitor::AccessSignal::kAccess; }

 protected:
  std::shared_ptr<monitor::MonitorDriver> CreateDriver(Napi::Env /*env*/, const monitor::Attrs& attrs,
                                                       std::vector<monitor::TargetSpec> targets, uint64_t seed) override {
    source_->Reseed(seed ^ kSeedSalt);
    return SampleWithCore(source_, attrs, std::move(targets), seed);
  }

 private:
  void SetHotRanges(const Napi::CallbackInfo& info) {
    RequireIdle(info.Env(), "changing the pattern source's hot ranges");
    source_->SetHotRanges(ReadHotRanges(info[0]));
  }

  void SetMappings(const Napi::CallbackInfo& info) {
    RequireIdle(info.Env(), "changing the pattern source's mappings");
    source_->SetMappings(ReadRanges(info[0]));
  }

  std::shared_ptr<sources::pattern::PatternSource> source_;
};

}  // namespace

void RegisterPatternSource(Napi::Env env, Napi::Object exports) { PatternSourceWrap::Define(env, exports); }

}  // namespace thp::addon
