#include "sources/kernel_damon/kernel_damon.h"

namespace thp::sources {

std::unique_ptr<monitor::MonitorDriver> CreateKernelDamonDriver(const KernelDamonOptions&, std::string* why_not) {
  *why_not =
      "the damon access source needs Linux with DAMON's sysfs interface and vaddr operations (CONFIG_DAMON_SYSFS, "
      "CONFIG_DAMON_VADDR)";
  return nullptr;
}

}  // namespace thp::sources
