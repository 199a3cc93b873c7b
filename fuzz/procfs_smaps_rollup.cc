// /proc/<pid>/smaps_rollup text (platform/linux/procfs/smaps_rollup.h).
#include "fuzz/harness.h"
#include "platform/linux/procfs/smaps_rollup.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  thp::fuzz::ParseOrReject(data, size, [](std::string_view text) {
    const auto rollup = thp::platform::procfs::ParseSmapsRollup(text);
    thp::fuzz::Require(rollup.start <= rollup.end, "the rollup span ends before it starts");
  });
  return 0;
}
