// MADV_HUGEPAGE on the simulator's table slabs: with THP in "madvise" mode (this machine's
// setting) only advised ranges get huge pages. Failure is harmless: the slab stays on 4 KiB pages.
#include "platform/huge_slab.h"

#include <sys/mman.h>

namespace thp::platform {

void AdviseHugeSlab(void* slab, std::size_t bytes) { madvise(slab, bytes, MADV_HUGEPAGE); }

}  // namespace thp::platform
