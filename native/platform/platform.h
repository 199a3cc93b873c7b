// The platform backend: one implementation per OS family, chosen at build time by
// native/sources.cjs (the "linux" or the "unsupported" group). Portable code only sees this header.
#pragma once

namespace thp::platform {

// "linux" or "unsupported"; JS uses it to name the reason a Linux-only call cannot run.
const char* BackendName();

}  // namespace thp::platform
