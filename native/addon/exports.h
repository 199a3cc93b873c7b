// One Register* function per binding file; module.cc calls them all at load time.
#pragma once
#include <napi.h>

namespace thp::addon {

void RegisterPlatformInfo(Napi::Env env, Napi::Object exports);
void RegisterProcfs(Napi::Env env, Napi::Object exports);

#ifdef __linux__
// Linux-only bindings: on other systems the exports are absent and lib/ explains why.
void RegisterMemoryOps(Napi::Env env, Napi::Object exports);
#endif

}  // namespace thp::addon
