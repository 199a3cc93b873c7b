// /proc/vmstat text (platform/linux/procfs/vmstat.h).
#include "fuzz/harness.h"
#include "platform/linux/procfs/vmstat.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  thp::fuzz::ParseOrReject(data, size, [](std::string_view text) {
    for (const auto& [name, value] : thp::platform::procfs::ParseVmstat(text)) {
      thp::fuzz::Require(!name.empty() && name.find_first_of(" \t\n") == std::string::npos, "a counter name is blank or spaced");
    }
  });
  return 0;
}
