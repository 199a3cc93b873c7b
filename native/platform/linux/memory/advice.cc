#include "platform/linux/memory/advice.h"

#include <cerrno>

#include "platform/linux/uapi_compat.h"
#include "platform/system_error.h"

namespace thp::platform {

namespace {
struct AdviceEntry {
  Advice advice;
  const char* name;
  int value;
};
constexpr AdviceEntry kAdvice[] = {
    {Advice::kHugepage, "hugepage", MADV_HUGEPAGE},
    {Advice::kNoHugepage, "nohugepage", MADV_NOHUGEPAGE},
    {Advice::kCollapse, "collapse", MADV_COLLAPSE},
    {Advice::kPopulateRead, "populate-read", MADV_POPULATE_READ},
    {Advice::kPopulateWrite, "populate-write", MADV_POPULATE_WRITE},
};
const AdviceEntry& Entry(Advice advice) {
  for (const auto& entry : kAdvice)
    if (entry.advice == advice) return entry;
  return kAdvice[0];  // unreachable: every enumerator has an entry
}
}  // namespace

std::optional<Advice> AdviceFromName(const std::string& name) {
  for (const auto& entry : kAdvice)
    if (name == entry.name) return entry.advice;
  return std::nullopt;
}

int AdviceValue(Advice advice) { return Entry(advice).value; }
const char* AdviceName(Advice advice) { return Entry(advice).name; }

void AdviseSelf(const AddressRange& range, Advice advice) {
  if (madvise(reinterpret_cast<void*>(range.start), range.length, AdviceValue(advice)) != 0) {
    throw SystemError("madvise", errno, std::string("advice ") + AdviceName(advice));
  }
}

}  // namespace thp::platform
