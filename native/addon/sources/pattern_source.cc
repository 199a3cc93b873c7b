// JS class PatternSource (lib/sources/pattern.ts): the seeded synthetic access pattern of
// native/sources/pattern/, for tests and demonstrations.
#include "sources/pattern/pattern_source.h"

#include <memory>

#include "addon/exports.h"
#include "addon/monitor_convert.h"
#include "addon/sources/source_binding.h"

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

using PatternBase = SeededSourceWrap<class PatternSourceWrap, sources::pattern::PatternSource, 0x5eed>;

class PatternSourceWrap final : public PatternBase {
 public:
  // new PatternSource(mappings: [[s, e]], hot: [[s, e, probabilityBp]]); the seed is the
  // monitor's, set when it binds the source.
  explicit PatternSourceWrap(const Napi::CallbackInfo& info)
      : PatternBase(info, std::make_shared<sources::pattern::PatternSource>(ReadRanges(info[0]), 0)) {
    source_->SetHotRanges(ReadHotRanges(info[1]));
  }

  static void Define(Napi::Env env, Napi::Object exports) {
    Register(env, exports, "PatternSource",
             {InstanceMethod<&PatternSourceWrap::SetHotRanges>("setHotRanges"),
              InstanceMethod<&PatternSourceWrap::SetMappings>("setMappings")});
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
};

}  // namespace

void RegisterPatternSource(Napi::Env env, Napi::Object exports) { PatternSourceWrap::Define(env, exports); }

}  // namespace thp::addon
