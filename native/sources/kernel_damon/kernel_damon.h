// The `damon` access source: the kernel's own DAMON (a kdamond) monitoring another process's
// virtual address space, driven through its sysfs interface /sys/kernel/mm/damon/admin
// (Documentation/admin-guide/mm/damon/usage.rst, "sysfs Interface"). Unlike the sampled sources, the kernel computes the regions (design.rst, "Monitoring") and
// sees every access (reads and writes, through the page table's Accessed bits, design.rst "PTE Accessed-bit Based Access Check"); we
// only configure it and read its regions back once per aggregation through a `stat` scheme's
// tried regions (design.rst "Statistics"). Needs CONFIG_DAMON_SYSFS, CONFIG_DAMON_VADDR and root.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/monitor/attrs.h"
#include "core/monitor/monitor_driver.h"
#include "core/monitor/region.h"

namespace thp::sources {

struct KernelDamonOptions {
  int64_t pid = 0;
  // Empty: the whole address space by the kernel's three-regions rule (operations `vaddr`);
  // otherwise these fixed ranges (operations `fvaddr`).
  std::vector<monitor::AddressRange> ranges;
  monitor::Attrs attrs;
};

// nullptr with `why_not` set where kernel DAMON cannot watch a process here (not Linux, no
// DAMON sysfs, no vaddr operations, not root). Read-only: it creates no kdamond to find out;
// the kdamond is set up on the driver's own thread when it starts.
std::unique_ptr<monitor::MonitorDriver> CreateKernelDamonDriver(const KernelDamonOptions& options, std::string* why_not);

}  // namespace thp::sources
