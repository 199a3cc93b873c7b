// No huge-page hint on other systems: slabs use the allocator's ordinary pages.
#include "platform/huge_slab.h"

namespace thp::platform {

void AdviseHugeSlab(void*, std::size_t) {}

}  // namespace thp::platform
