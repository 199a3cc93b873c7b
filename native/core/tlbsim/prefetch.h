// A portable cache-prefetch hint (a no-op where the compiler has none).
//
// On GCC, __builtin_prefetch counts as free of side effects, so a prefetch at the end of a
// loop of plain loads (a peek down the page table) is deleted together with the loop: the
// lookahead prefetching measured as doing nothing until the x86 path became an asm volatile
// instruction, which the compiler must keep.
#pragma once

#if defined(_MSC_VER) && !defined(__clang__) && (defined(_M_X64) || defined(_M_IX86))
#include <xmmintrin.h>
#endif

namespace thp::tlbsim {

inline void PrefetchHint(const void* p) {
#if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__))
  asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(p)));
#elif defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(p);
#elif defined(_MSC_VER) && (defined(_M_X64) || defined(_M_IX86))
  _mm_prefetch(static_cast<const char*>(p), _MM_HINT_T0);
#else
  (void)p;
#endif
}

}  // namespace thp::tlbsim
