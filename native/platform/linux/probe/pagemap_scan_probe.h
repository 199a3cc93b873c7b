// Whether the PAGEMAP_SCAN ioctl (Linux 6.7) works on /proc/self/pagemap, by scanning one page.
#pragma once

#include "platform/linux/probe/support.h"

namespace thp::platform::probe {

struct PagemapScanProbe : Support {
  int errnoValue = 0;
};

PagemapScanProbe ProbePagemapScan();

}  // namespace thp::platform::probe
