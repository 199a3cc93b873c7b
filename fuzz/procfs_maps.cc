// /proc/<pid>/maps text (platform/linux/procfs/maps.h): every accepted VMA is well formed.
#include "fuzz/harness.h"
#include "platform/linux/procfs/maps.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  thp::fuzz::ParseOrReject(data, size, [](std::string_view text) {
    for (const auto& vma : thp::platform::procfs::ParseMaps(text)) {
      thp::fuzz::Require(vma.start <= vma.end, "a VMA ends before it starts");
      thp::fuzz::Require(vma.perms.size() == 4, "perms is not four letters");
      thp::fuzz::Require(vma.dev.find(':') != std::string::npos, "dev has no ':'");
    }
  });
  return 0;
}
