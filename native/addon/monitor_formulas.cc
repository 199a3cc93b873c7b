// The monitoring core's pure formulas (mm/damon/core.c, damon_set_attrs(); Documentation/mm/damon/design.rst, "Virtual Address Space Specific Implementation"; Documentation/mm/damon/design.rst, "Adaptive Regions Adjustment"; Documentation/mm/damon/design.rst, "Monitoring Intervals Auto-tuning"; Documentation/mm/damon/design.rst, "Aim-oriented Feedback-driven Auto-tuning"), exposed so
// tests can check them against values computed by hand from the spec.
#include <napi.h>

#include "addon/exports.h"
#include "addon/monitor_convert.h"
#include "core/monitor/adaptive_regions.h"
#include "core/monitor/interval_tuning.h"
#include "core/monitor/target_regions.h"

namespace thp::addon {

namespace {

using monitor::Target;

std::vector<Target> OneTarget(const Napi::Value& regions) {
  Target t;
  t.regions = ReadRegions(regions);
  return {t};
}

uint64_t Arg(const Napi::CallbackInfo& info, size_t i) { return static_cast<uint64_t>(info[i].As<Napi::Number>().DoubleValue()); }

Napi::Array RangesToJs(Napi::Env env, const std::vector<monitor::AddressRange>& ranges) {
  auto arr = Napi::Array::New(env, ranges.size());
  for (uint32_t i = 0; i < ranges.size(); i++) {
    auto pair = Napi::Array::New(env, 2);
    pair.Set(0u, static_cast<double>(ranges[i].start));
    pair.Set(1u, static_cast<double>(ranges[i].end));
    arr.Set(i, pair);
  }
  return arr;
}

// mergeRegions(regions, threshold, sizeLimit): one merge pass with the age update (design.rst "Adaptive Regions Adjustment").
Napi::Value MergeRegionsOf(const Napi::CallbackInfo& info) {
  auto regions = ReadRegions(info[0]);
  monitor::MergeRegionsOf(regions, static_cast<uint32_t>(Arg(info, 1)), Arg(info, 2));
  return RegionsToJs(info.Env(), regions);
}

// mergeRegionsLoop(regions, threshold, sizeLimit, maxNrRegions, maxThres) (design.rst "Adaptive Regions Adjustment" outer loop).
Napi::Value MergeRegions(const Napi::CallbackInfo& info) {
  auto targets = OneTarget(info[0]);
  monitor::MergeRegions(targets, static_cast<uint32_t>(Arg(info, 1)), Arg(info, 2), Arg(info, 3), Arg(info, 4));
  return RegionsToJs(info.Env(), targets[0].regions);
}

// splitRegions(regions, maxNrRegions, lastNrRegions, seed) -> {regions, lastNrRegions} (design.rst "Adaptive Regions Adjustment").
Napi::Value SplitRegions(const Napi::CallbackInfo& info) {
  auto targets = OneTarget(info[0]);
  uint64_t last = Arg(info, 2);
  monitor::SeededRandom rng(Arg(info, 3));
  monitor::SplitRegions(targets, Arg(info, 1), last, rng);
  auto out = Napi::Object::New(info.Env());
  out.Set("regions", RegionsToJs(info.Env(), targets[0].regions));
  out.Set("lastNrRegions", static_cast<double>(last));
  return out;
}

// applyMinNrRegions(regions, minNrRegions) -> {regions, sizeLimit} (design.rst "Execution Model and Data Structures" step 4, design.rst "Adaptive Regions Adjustment").
Napi::Value ApplyMinNrRegions(const Napi::CallbackInfo& info) {
  auto targets = OneTarget(info[0]);
  const uint64_t limit = monitor::ApplyMinNrRegions(targets, Arg(info, 1));
  auto out = Napi::Object::New(info.Env());
  out.Set("regions", RegionsToJs(info.Env(), targets[0].regions));
  out.Set("sizeLimit", static_cast<double>(limit));
  return out;
}

Napi::Value FeedLoopNextInput(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(monitor::FeedLoopNextInput(Arg(info, 0), Arg(info, 1))));
}

// intervalsAdaptationBp(regions, attrs) and tunedAttrs(regions, attrs) (design.rst "Monitoring Intervals Auto-tuning").
Napi::Value IntervalsAdaptationBp(const Napi::CallbackInfo& info) {
  const double v = static_cast<double>(monitor::IntervalsAdaptationBp(OneTarget(info[0]), ReadAttrs(info[1])));
  return Napi::Number::New(info.Env(), v);
}

Napi::Value TunedAttrs(const Napi::CallbackInfo& info) {
  return AttrsToJs(info.Env(), monitor::TunedAttrs(OneTarget(info[0]), ReadAttrs(info[1])));
}

// rescaleRegions(regions, oldAttrs, newAttrs, midAggregation) (design.rst "Monitoring Intervals Auto-tuning").
Napi::Value RescaleRegions(const Napi::CallbackInfo& info) {
  auto targets = OneTarget(info[0]);
  monitor::RescaleRegions(targets, ReadAttrs(info[1]), ReadAttrs(info[2]), info[3].ToBoolean());
  return RegionsToJs(info.Env(), targets[0].regions);
}

// threeRegions(mappings) -> ranges or null (design.rst "Virtual Address Space Specific Implementation").
Napi::Value ThreeRegions(const Napi::CallbackInfo& info) {
  const auto three = monitor::ThreeRegions(ReadRanges(info[0]));
  if (!three) return info.Env().Null();
  return RangesToJs(info.Env(), *three);
}

// setRegions(regions, ranges) (design.rst "Virtual Address Space Specific Implementation" damon_set_regions).
Napi::Value SetRegions(const Napi::CallbackInfo& info) {
  auto regions = ReadRegions(info[0]);
  monitor::SetRegions(regions, ReadRanges(info[1]));
  return RegionsToJs(info.Env(), regions);
}

// validateAttrs(attrs) -> "" or the reason (design.rst "Execution Model and Data Structures").
Napi::Value ValidateAttrs(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), monitor::ValidateAttrs(ReadAttrs(info[0])));
}

}  // namespace

void RegisterMonitorFormulas(Napi::Env env, Napi::Object exports) {
  auto f = Napi::Object::New(env);
  f.Set("mergeRegionsOf", Napi::Function::New(env, MergeRegionsOf));
  f.Set("mergeRegions", Napi::Function::New(env, MergeRegions));
  f.Set("splitRegions", Napi::Function::New(env, SplitRegions));
  f.Set("applyMinNrRegions", Napi::Function::New(env, ApplyMinNrRegions));
  f.Set("feedLoopNextInput", Napi::Function::New(env, FeedLoopNextInput));
  f.Set("intervalsAdaptationBp", Napi::Function::New(env, IntervalsAdaptationBp));
  f.Set("tunedAttrs", Napi::Function::New(env, TunedAttrs));
  f.Set("rescaleRegions", Napi::Function::New(env, RescaleRegions));
  f.Set("threeRegions", Napi::Function::New(env, ThreeRegions));
  f.Set("setRegions", Napi::Function::New(env, SetRegions));
  f.Set("validateAttrs", Napi::Function::New(env, ValidateAttrs));
  exports.Set("monitorFormulas", f);
}

}  // namespace thp::addon
