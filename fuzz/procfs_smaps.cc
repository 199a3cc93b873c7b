// /proc/<pid>/smaps text (platform/linux/procfs/smaps.h), and the tuner's reduction of it to
// anonymous mappings (platform/linux/procfs/anonymous_mappings.h).
#include "fuzz/harness.h"
#include "platform/linux/procfs/anonymous_mappings.h"
#include "platform/linux/procfs/smaps.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  thp::fuzz::ParseOrReject(data, size, [](std::string_view text) {
    const auto entries = thp::platform::procfs::ParseSmaps(text);
    for (const auto& entry : entries) {
      thp::fuzz::Require(entry.thpEligible >= -1 && entry.thpEligible <= 1, "THPeligible outside -1..1");
      thp::fuzz::Require(entry.fields.counts.count("THPeligible") == 0, "THPeligible left among the counts");
      for (const auto& [key, bytes] : entry.fields.bytes) thp::fuzz::Require(bytes % 1024 == 0, "a kB field is not whole kB");
    }
    // Merging neighbours can only reduce the entries; any order and any addresses must be safe.
    const auto mappings = thp::platform::procfs::AnonymousMappings(entries, uint64_t{2} << 20);
    thp::fuzz::Require(mappings.size() <= entries.size(), "more anonymous mappings than smaps entries");
  });
  return 0;
}
