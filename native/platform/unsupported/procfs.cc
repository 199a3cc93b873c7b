// Non-Linux build of the /proc readers: there is no /proc to read, so every entry point
// fails with ENOSYS ("needs Linux"). lib/procfs refuses these calls before they get here;
// this file only keeps the addon linkable.
#include <cerrno>

#include "platform/linux/procfs/maps.h"
#include "platform/system_error.h"

namespace thp::platform::procfs {

namespace {
[[noreturn]] void NeedsLinux(const char* what) { throw SystemError(what, ENOSYS, "needs Linux"); }
}  // namespace

std::vector<Vma> ParseMaps(std::string_view) { NeedsLinux("ParseMaps"); }
std::vector<Vma> ReadMaps(int) { NeedsLinux("ReadMaps"); }

}  // namespace thp::platform::procfs
