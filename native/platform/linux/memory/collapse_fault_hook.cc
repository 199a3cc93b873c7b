#include "platform/linux/memory/collapse_fault_hook.h"

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <regex>
#include <stdexcept>
#include <string>

namespace thp::platform {

namespace {

constexpr const char* kVariable = "THP_AUTOTUNE_TEST_COLLAPSE_FAIL";

struct FaultPlan {
  int error = 0;       // 0: no injection
  unsigned every = 0;  // the Nth call fails
  std::string malformed;
};

FaultPlan ParsePlan(const char* value) {
  FaultPlan plan;
  if (value == nullptr || *value == '\0') return plan;
  // "EAGAIN:every-3" (an ordinal suffix as in "every-3rd" is accepted).
  static const std::regex kFormat("^(EAGAIN|ENOMEM|EBUSY):every-([1-9][0-9]{0,5})(st|nd|rd|th)?$");
  std::cmatch m;
  if (!std::regex_match(value, m, kFormat)) {
    plan.malformed =
        std::string(kVariable) + " must be <EAGAIN|ENOMEM|EBUSY>:every-<N> with N from 1 to 999999; received \"" + value + "\"";
    return plan;
  }
  plan.error = m[1] == "EAGAIN" ? EAGAIN : m[1] == "ENOMEM" ? ENOMEM : EBUSY;
  plan.every = static_cast<unsigned>(std::stoul(m[2]));
  return plan;
}

// Read once, when the addon is loaded, before any thread of ours runs.
// NOLINTNEXTLINE(concurrency-mt-unsafe): getenv races only with setenv; node's own setenv calls happen on the JS thread, which is loading this addon.
const FaultPlan kPlan = ParsePlan(std::getenv(kVariable));
std::atomic<unsigned long> calls{0};

}  // namespace

int InjectedCollapseError() {
  if (!kPlan.malformed.empty()) throw std::invalid_argument(kPlan.malformed);
  if (kPlan.error == 0) return 0;
  return (calls.fetch_add(1, std::memory_order_relaxed) + 1) % kPlan.every == 0 ? kPlan.error : 0;
}

}  // namespace thp::platform
