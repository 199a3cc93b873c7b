// A TEST-ONLY fault injector for MADV_COLLAPSE, for failures a test cannot provoke for real
// on its machine (EAGAIN from a locked page, ENOMEM from fragmentation, EBUSY from a memory
// cgroup charge). Off unless the environment variable
//   THP_AUTOTUNE_TEST_COLLAPSE_FAIL=<EAGAIN|ENOMEM|EBUSY>:every-<N>
// is set when the addon loads (read once): then every Nth collapse call of the process
// reports that errno instead of being made. Documented in SECURITY.md; never set it in
// production.
#pragma once

namespace thp::platform {

// 0 when this call should go to the kernel, else the errno to report for it. Throws
// std::invalid_argument if the variable is set but malformed.
int InjectedCollapseError();

}  // namespace thp::platform
