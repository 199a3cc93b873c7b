#include "platform/platform.h"

namespace thp::platform {
const char* BackendName() { return "linux"; }
}  // namespace thp::platform
