#include "addon/collapse_result.h"

namespace thp::addon {

Napi::Object CollapseResultToJs(Napi::Env env, const tlbsim::CollapseResult& result) {
  // Indexed by tlbsim::CollapseStatus; a success is named as MADV_COLLAPSE's outcome is.
  static const char* const kNames[] = {"collapsed",     "unaligned", "out-of-range", "already-huge",
                                       "too-many-none", "empty",     "out-of-frames"};
  static_assert(sizeof(kNames) / sizeof(kNames[0]) == static_cast<size_t>(tlbsim::CollapseStatus::kOutOfFrames) + 1,
                "every CollapseStatus needs a name");
  auto out = Napi::Object::New(env);
  out.Set("status", kNames[static_cast<int>(result.status)]);
  out.Set("nonePtes", result.none_ptes);
  out.Set("filledPages", result.filled_pages);
  return out;
}

}  // namespace thp::addon
