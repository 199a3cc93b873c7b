#include "platform/linux/memory/page_geometry.h"

#include <unistd.h>

#include <fstream>

namespace thp::platform {

uint64_t BasePageSize() {
  static const uint64_t size = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  return size;
}

uint64_t HugeUnitSize() {
  static const uint64_t size = [] {
    std::ifstream file("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size");
    uint64_t value = 0;
    if (file >> value && value > 0) return value;
    return uint64_t{2} << 20;  // no THP sysfs (THP compiled out): the x86-64 PMD size
  }();
  return size;
}

uint64_t UserAddressEnd() {
#if defined(__x86_64__)
  return uint64_t{1} << 47;
#else
  return uint64_t{1} << 48;
#endif
}

}  // namespace thp::platform
