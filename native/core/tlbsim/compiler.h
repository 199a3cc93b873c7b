// Inlining hints for the simulator's hot path (no-ops on compilers without them).
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#define THP_TLBSIM_INLINE inline __attribute__((always_inline))
#define THP_TLBSIM_NOINLINE __attribute__((noinline))
#elif defined(_MSC_VER)
#define THP_TLBSIM_INLINE __forceinline
#define THP_TLBSIM_NOINLINE __declspec(noinline)
#else
#define THP_TLBSIM_INLINE inline
#define THP_TLBSIM_NOINLINE
#endif
