// /proc/meminfo text (platform/linux/procfs/meminfo.h): numbers only.
#include "fuzz/harness.h"
#include "platform/linux/procfs/meminfo.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  thp::fuzz::ParseOrReject(data, size, [](std::string_view text) {
    const auto fields = thp::platform::procfs::ParseMeminfo(text);
    thp::fuzz::Require(fields.texts.empty(), "meminfo accepted a text value");
  });
  return 0;
}
