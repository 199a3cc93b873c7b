// Non-Linux build of the /proc readers: there is no /proc to read, so every entry point
// fails with ENOSYS ("needs Linux"). lib/procfs refuses these calls before they get here;
// this file only keeps the addon linkable.
#include <cerrno>

#include "platform/linux/procfs/maps.h"
#include "platform/linux/procfs/meminfo.h"
#include "platform/linux/procfs/pressure.h"
#include "platform/linux/procfs/smaps.h"
#include "platform/linux/procfs/smaps_rollup.h"
#include "platform/linux/procfs/vmstat.h"
#include "platform/system_error.h"

namespace thp::platform::procfs {

namespace {
[[noreturn]] void NeedsLinux(const char* what) { throw SystemError(what, ENOSYS, "needs Linux"); }
}  // namespace

std::vector<Vma> ParseMaps(std::string_view) { NeedsLinux("ParseMaps"); }
std::vector<Vma> ReadMaps(int) { NeedsLinux("ReadMaps"); }
std::vector<SmapsVma> ParseSmaps(std::string_view) { NeedsLinux("ParseSmaps"); }
std::vector<SmapsVma> ReadSmaps(int) { NeedsLinux("ReadSmaps"); }
SmapsRollup ParseSmapsRollup(std::string_view) { NeedsLinux("ParseSmapsRollup"); }
SmapsRollup ReadSmapsRollup(int) { NeedsLinux("ReadSmapsRollup"); }
KeyFields ParseMeminfo(std::string_view) { NeedsLinux("ParseMeminfo"); }
KeyFields ReadMeminfo() { NeedsLinux("ReadMeminfo"); }
std::map<std::string, uint64_t> ParseVmstat(std::string_view) { NeedsLinux("ParseVmstat"); }
std::map<std::string, uint64_t> ReadVmstat() { NeedsLinux("ReadVmstat"); }
Pressure ParsePressure(std::string_view) { NeedsLinux("ParsePressure"); }
Pressure ReadMemoryPressure() { NeedsLinux("ReadMemoryPressure"); }

}  // namespace thp::platform::procfs
