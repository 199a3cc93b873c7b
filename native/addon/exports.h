// One Register* function per binding file; module.cc calls them all at load time.
#pragma once
#include <napi.h>

namespace thp::addon {

void RegisterPlatformInfo(Napi::Env env, Napi::Object exports);
void RegisterProcfs(Napi::Env env, Napi::Object exports);
void RegisterCapabilities(Napi::Env env, Napi::Object exports);

}  // namespace thp::addon
