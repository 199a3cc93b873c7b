// Everything the capability probe finds out, in one report. Probing never changes machine
// state: sysfs is only read, and the test mappings it creates are unmapped before it returns.
#pragma once

#include <string>

#include "platform/linux/probe/collapse_probe.h"
#include "platform/linux/probe/damon_probe.h"
#include "platform/linux/probe/pagemap_scan_probe.h"
#include "platform/linux/probe/privileges_probe.h"
#include "platform/linux/probe/thp_settings.h"
#include "platform/linux/probe/userfaultfd_probe.h"

namespace thp::platform::probe {

struct Capabilities {
  std::string kernelRelease;  // uname -r
  std::string machine;        // uname -m
  ThpSettings thp;
  CollapseProbe collapse;
  PagemapScanProbe pagemapScan;
  UserfaultfdProbe userfaultfd;
  DamonProbe damon;
  Privileges privileges;
};

// Runs every probe; blocking (reads /sys, /proc/kallsyms, collapses a test mapping), so call
// it off the JS thread.
Capabilities ProbeCapabilities();

}  // namespace thp::platform::probe
