// A portable cache-prefetch hint (a no-op where the compiler has none).
#pragma once

namespace thp::tlbsim {

inline void PrefetchHint(const void* p) {
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(p);
#else
  (void)p;
#endif
}

}  // namespace thp::tlbsim
