// /proc/<pid>/smaps text (platform/linux/procfs/smaps.h).
#include "fuzz/harness.h"
#include "platform/linux/procfs/smaps.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  thp::fuzz::ParseOrReject(data, size, [](std::string_view text) {
    for (const auto& entry : thp::platform::procfs::ParseSmaps(text)) {
      thp::fuzz::Require(entry.thpEligible >= -1 && entry.thpEligible <= 1, "THPeligible outside -1..1");
      thp::fuzz::Require(entry.fields.counts.count("THPeligible") == 0, "THPeligible left among the counts");
      for (const auto& [key, bytes] : entry.fields.bytes) thp::fuzz::Require(bytes % 1024 == 0, "a kB field is not whole kB");
    }
  });
  return 0;
}
