// A THP sysfs multiple-choice file such as transparent_hugepage/enabled ("always [madvise]
// never"), parsed by platform/linux/probe/thp_settings.h. It never rejects: absent brackets
// mean no selection.
#include <algorithm>

#include "fuzz/harness.h"
#include "platform/linux/probe/thp_settings.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto choice = thp::platform::probe::ParseChoice(thp::fuzz::AsText(data, size));
  thp::fuzz::Require(
      choice.selected.empty() || std::find(choice.choices.begin(), choice.choices.end(), choice.selected) != choice.choices.end(),
      "the selected entry is not among the choices");
  return 0;
}
