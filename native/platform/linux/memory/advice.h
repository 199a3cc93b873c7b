// madvise advice this package issues, on this process or (through process_madvise) another.
#pragma once
#include <optional>
#include <string>

#include "platform/linux/memory/address_range.h"

namespace thp::platform {

enum class Advice { kHugepage, kNoHugepage, kCollapse, kPopulateRead, kPopulateWrite };

std::optional<Advice> AdviceFromName(const std::string& name);
int AdviceValue(Advice advice);
const char* AdviceName(Advice advice);

// madvise(2) on this process; throws SystemError with the kernel's errno.
void AdviseSelf(const AddressRange& range, Advice advice);

}  // namespace thp::platform
