// Asks the OS to back a large, aligned allocation with huge pages where it can (a hint; the
// simulator's page-table slabs use it so the simulator itself is not TLB-bound).
#pragma once

#include <cstddef>

namespace thp::platform {

void AdviseHugeSlab(void* slab, std::size_t bytes);

}  // namespace thp::platform
