// A one-number DAMON sysfs file (nr_kdamonds, a tried region's start/end/nr_accesses/age),
// parsed by sources/kernel_damon/linux/sysfs_dir.h.
#include <string>

#include "fuzz/harness.h"
#include "sources/kernel_damon/linux/sysfs_dir.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  thp::fuzz::ParseOrReject(data, size, [](std::string_view text) {
    const uint64_t value = thp::sources::kernel_damon::ParseNumber(text, "fuzz");
    // An accepted number prints back as the trimmed text, less any leading zeros.
    std::string_view trimmed = thp::sources::kernel_damon::TrimValue(text);
    while (trimmed.size() > 1 && trimmed.front() == '0') trimmed.remove_prefix(1);
    thp::fuzz::Require(std::to_string(value) == trimmed, "the number does not print back as its text");
  });
  return 0;
}
