// Base page and PMD huge-page sizes of the running kernel, read once.
#pragma once
#include <cstdint>

namespace thp::platform {

uint64_t BasePageSize();
// /sys/kernel/mm/transparent_hugepage/hpage_pmd_size: 2 MiB on x86-64 and 4 KiB-page arm64,
// larger on arm64 kernels with 16/64 KiB pages, so it is read rather than assumed.
uint64_t HugeUnitSize();
// One past the highest user-space address a process can map: 2^47 on x86-64 with 4-level
// paging (Documentation/arch/x86/x86_64/mm.rst; 5-level paging gives 2^56 only to mappings
// asked for above 2^47), 2^48 on arm64 with 48-bit virtual addresses. A range ending past it
// cannot be mapped in any process.
uint64_t UserAddressEnd();

}  // namespace thp::platform
