#include "platform/platform.h"

namespace thp::platform {
const char* BackendName() { return "unsupported"; }
}  // namespace thp::platform
