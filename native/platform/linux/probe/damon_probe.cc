#include "platform/linux/probe/damon_probe.h"

#include <sys/stat.h>
#include <unistd.h>

#include <string_view>
#include <vector>

#include "platform/linux/probe/status_fields.h"
#include "platform/linux/procfs/proc_file.h"
#include "platform/linux/procfs/text_scan.h"
#include "sources/kernel_damon/linux/sysfs_dir.h"

namespace thp::platform::probe {

namespace {

using sources::kernel_damon::kAdminDir;
using sources::kernel_damon::NumberedEntries;

// An existing context's avail_operations lists the operations sets the kernel has.
bool VaddrFromContexts(DamonProbe& probe) {
  const std::string kdamonds = std::string(kAdminDir) + "/kdamonds";
  for (const auto& kdamond : NumberedEntries(kdamonds)) {
    const std::string contexts = kdamonds + "/" + kdamond + "/contexts";
    for (const auto& context : NumberedEntries(contexts)) {
      std::string text;
      if (procfs::TryReadTextFile(contexts + "/" + context + "/avail_operations", text) != 0) continue;
      std::string_view rest = text, token;
      probe.vaddr = 0;
      while (procfs::NextToken(rest, token)) {
        if (procfs::TrimSpaces(token.substr(0, token.find('\n'))) == "vaddr") probe.vaddr = 1;
      }
      probe.vaddrEvidence = "avail_operations";
      return true;
    }
  }
  return false;
}

// mm/damon/vaddr.c defines the damon_va_* functions; they are in kallsyms exactly when it is
// built (CONFIG_DAMON_VADDR). Other damon_ symbols prove the table covers DAMON at all.
bool VaddrFromKallsyms(DamonProbe& probe) {
  std::string text;
  if (procfs::TryReadTextFile("/proc/kallsyms", text) != 0) return false;
  bool anyDamon = text.find(" damon_") != std::string::npos;
  if (!anyDamon) return false;
  probe.vaddr = text.find(" damon_va_") != std::string::npos ? 1 : 0;
  probe.vaddrEvidence = "kallsyms";
  return true;
}

}  // namespace

DamonProbe ProbeDamon() {
  DamonProbe probe;
  struct stat info {};
  probe.sysfs = ::stat(kAdminDir, &info) == 0 && S_ISDIR(info.st_mode);
  if (probe.sysfs) {
    probe.nrKdamonds = ReadSmallNumber(std::string(kAdminDir) + "/kdamonds/nr_kdamonds");
    if (!VaddrFromContexts(probe)) VaddrFromKallsyms(probe);
  }
  if (!probe.sysfs) {
    probe.Fail("no /sys/kernel/mm/damon/admin: the kernel lacks DAMON's sysfs interface (CONFIG_DAMON_SYSFS)");
  } else if (::access((std::string(kAdminDir) + "/kdamonds/nr_kdamonds").c_str(), W_OK) != 0) {
    probe.Fail("DAMON's sysfs interface exists but only root may write it");
  } else {
    probe.supported = true;
  }
  return probe;
}

}  // namespace thp::platform::probe
