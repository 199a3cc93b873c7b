// Base page and PMD huge-page sizes of the running kernel, read once.
#pragma once
#include <cstdint>

namespace thp::platform {

uint64_t BasePageSize();
// /sys/kernel/mm/transparent_hugepage/hpage_pmd_size: 2 MiB on x86-64 and 4 KiB-page arm64,
// larger on arm64 kernels with 16/64 KiB pages, so it is read rather than assumed.
uint64_t HugeUnitSize();

}  // namespace thp::platform
