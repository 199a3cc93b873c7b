// Anonymous private mappings aligned to the huge-page unit, so every whole unit of them can
// hold a PMD-mapped transparent huge page.
#pragma once
#include <cstddef>

namespace thp::platform {

// Maps `bytes` (rounded up to the base page size) at a HugeUnitSize()-aligned address.
// Throws SystemError("mmap", ENOMEM) when the address space or overcommit refuses.
void* MapAligned(size_t bytes);

// Unmaps what MapAligned(bytes) returned.
void UnmapAligned(void* address, size_t bytes);

}  // namespace thp::platform
