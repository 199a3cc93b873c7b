// Non-Linux build of the capability probe: lib/capabilities reports every item as
// unsupported ("needs Linux") without calling it; this file only keeps the addon linkable.
#include <cerrno>

#include "platform/linux/probe/capabilities.h"
#include "platform/system_error.h"

namespace thp::platform::probe {

Capabilities ProbeCapabilities() { throw SystemError("ProbeCapabilities", ENOSYS, "needs Linux"); }

}  // namespace thp::platform::probe
