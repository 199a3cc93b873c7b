#include "platform/linux/probe/pagemap_scan_probe.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "platform/linux/uapi_compat.h"
#include "platform/system_error.h"

namespace thp::platform::probe {

PagemapScanProbe ProbePagemapScan() {
  PagemapScanProbe probe;
  const long pageSize = ::sysconf(_SC_PAGESIZE);
  void* page = ::mmap(nullptr, static_cast<size_t>(pageSize), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) {
    probe.errnoValue = errno;
    probe.Fail(std::string("could not map a test page: ") + ErrnoText(probe.errnoValue));
    return probe;
  }
  static_cast<char*>(page)[0] = 1;
  int fd = ::open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    probe.errnoValue = errno;
    probe.Fail(std::string("cannot open /proc/self/pagemap: ") + ErrnoText(probe.errnoValue));
  } else {
    page_region region{};
    pm_scan_arg arg{};
    arg.size = sizeof arg;
    arg.start = reinterpret_cast<uintptr_t>(page);
    arg.end = arg.start + static_cast<uint64_t>(pageSize);
    arg.vec = reinterpret_cast<uintptr_t>(&region);
    arg.vec_len = 1;
    arg.category_anyof_mask = PAGE_IS_PRESENT;
    arg.return_mask = PAGE_IS_PRESENT;
    long found = ::ioctl(fd, PAGEMAP_SCAN, &arg);
    if (found < 0) {
      probe.errnoValue = errno;
      probe.Fail(probe.errnoValue == ENOTTY || probe.errnoValue == EINVAL
                     ? std::string("the kernel does not know the PAGEMAP_SCAN ioctl (needs Linux 6.7): ") +
                           ErrnoText(probe.errnoValue)
                     : std::string("PAGEMAP_SCAN failed: ") + ErrnoText(probe.errnoValue));
    } else if (found != 1 || (region.categories & PAGE_IS_PRESENT) == 0) {
      probe.Fail("PAGEMAP_SCAN did not report a page this process just wrote as present");
    } else {
      probe.supported = true;
    }
    ::close(fd);
  }
  ::munmap(page, static_cast<size_t>(pageSize));
  return probe;
}

}  // namespace thp::platform::probe
