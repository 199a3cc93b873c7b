#include "platform/linux/memory/aligned_mapping.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstdint>

#include "platform/linux/memory/page_geometry.h"
#include "platform/system_error.h"

namespace thp::platform {

namespace {
size_t RoundUp(size_t value, size_t multiple) { return (value + multiple - 1) / multiple * multiple; }
}  // namespace

void* MapAligned(size_t bytes) {
  const size_t length = RoundUp(bytes, BasePageSize());
  const size_t unit = HugeUnitSize();
  // Over-map by one unit, then trim both ends: mmap only promises base-page alignment.
  const size_t padded = length + unit;
  void* raw = mmap(nullptr, padded, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (raw == MAP_FAILED) throw SystemError("mmap", errno, "anonymous mapping of " + std::to_string(padded) + " bytes");
  const auto base = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = RoundUp(base, unit);
  if (aligned > base) munmap(raw, aligned - base);
  const uintptr_t tail = aligned + length;
  if (base + padded > tail) munmap(reinterpret_cast<void*>(tail), base + padded - tail);
  return reinterpret_cast<void*>(aligned);
}

void UnmapAligned(void* address, size_t bytes) { munmap(address, RoundUp(bytes, BasePageSize())); }

}  // namespace thp::platform
