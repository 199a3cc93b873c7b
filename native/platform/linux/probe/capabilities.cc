#include "platform/linux/probe/capabilities.h"

#include <sys/utsname.h>

namespace thp::platform::probe {

namespace {
constexpr uint64_t kDefaultPmdSize = uint64_t{2} << 20;  // x86-64 and arm64 with 4 KiB pages
}  // namespace

Capabilities ProbeCapabilities() {
  Capabilities report;
  utsname names{};
  if (::uname(&names) == 0) {
    report.kernelRelease = names.release;
    report.machine = names.machine;
  }
  report.thp = ReadThpSettings();
  auto pmd = report.thp.values.find("hpage_pmd_size");
  report.collapse = ProbeCollapse(pmd != report.thp.values.end() ? pmd->second : kDefaultPmdSize);
  report.pagemapScan = ProbePagemapScan();
  report.userfaultfd = ProbeUserfaultfd();
  report.damon = ProbeDamon();
  report.privileges = ProbePrivileges();
  return report;
}

}  // namespace thp::platform::probe
