#include "platform/linux/probe/privileges_probe.h"

#include <unistd.h>

#include <cstdlib>
#include <string>

#include "platform/linux/probe/status_fields.h"

namespace thp::platform::probe {

namespace {
// Capability numbers of include/uapi/linux/capability.h.
constexpr int kCapSysPtrace = 19;
constexpr int kCapSysAdmin = 21;
constexpr int kCapSysNice = 23;
}  // namespace

Privileges ProbePrivileges() {
  Privileges privileges;
  privileges.euid = static_cast<uint32_t>(::geteuid());
  std::string capEff = SelfStatusField("CapEff");
  privileges.capEff = capEff.empty() ? 0 : std::strtoull(capEff.c_str(), nullptr, 16);
  auto has = [&](int cap) { return ((privileges.capEff >> cap) & 1) != 0; };
  privileges.capSysAdmin = has(kCapSysAdmin);
  privileges.capSysPtrace = has(kCapSysPtrace);
  privileges.capSysNice = has(kCapSysNice);
  privileges.ptraceScope = ReadSmallNumber("/proc/sys/kernel/yama/ptrace_scope");
  return privileges;
}

}  // namespace thp::platform::probe
