// Whether MADV_COLLAPSE works for this process, found by really collapsing a small test
// mapping (never guessed from the kernel version), and the prctl THP-disable state.
#pragma once

#include <cstdint>

#include "platform/linux/probe/support.h"

namespace thp::platform::probe {

struct CollapseProbe : Support {
  int errnoValue = 0;  // errno of the failed probe call, 0 when it worked
  // prctl(PR_GET_THP_DISABLE): 0 = THP allowed, nonzero = disabled for this process (bit 0;
  // newer kernels add bit 1 for "except advised"), -1 = the prctl failed.
  int thpDisable = -1;
};

// Maps 2 * pmdSize of private anonymous memory, touches one page of the aligned PMD-sized
// unit inside, collapses that unit, and unmaps everything.
CollapseProbe ProbeCollapse(uint64_t pmdSize);

}  // namespace thp::platform::probe
