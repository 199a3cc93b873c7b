// /proc/pressure/memory text (platform/linux/procfs/pressure.h).
#include "fuzz/harness.h"
#include "platform/linux/procfs/pressure.h"

namespace {
void CheckLine(const thp::platform::procfs::PressureLine& line) {
  // NaN fails every comparison, so this also rejects "avg10=nan".
  thp::fuzz::Require(line.avg10 >= 0 && line.avg60 >= 0 && line.avg300 >= 0, "a negative or NaN average");
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  thp::fuzz::ParseOrReject(data, size, [](std::string_view text) {
    const auto pressure = thp::platform::procfs::ParsePressure(text);
    CheckLine(pressure.some);
    CheckLine(pressure.full);
  });
  return 0;
}
