// One Register* function per binding file; module.cc calls them all at load time.
#pragma once
#include <napi.h>

namespace thp::addon {

void RegisterPlatformInfo(Napi::Env env, Napi::Object exports);
void RegisterAccessMonitor(Napi::Env env, Napi::Object exports);
void RegisterMonitorFormulas(Napi::Env env, Napi::Object exports);
void RegisterTlbSimulator(Napi::Env env, Napi::Object exports);

}  // namespace thp::addon
