// One Register* function per binding file; module.cc calls them all at load time.
#pragma once
#include <napi.h>

namespace thp::addon {

void RegisterPlatformInfo(Napi::Env env, Napi::Object exports);
void RegisterAccessMonitor(Napi::Env env, Napi::Object exports);
void RegisterMonitorFormulas(Napi::Env env, Napi::Object exports);
void RegisterTlbSimulator(Napi::Env env, Napi::Object exports);
// The access sources (native/addon/sources/), one JS class each.
void RegisterPatternSource(Napi::Env env, Napi::Object exports);
void RegisterSimulatedSource(Napi::Env env, Napi::Object exports);
void RegisterPagemapSource(Napi::Env env, Napi::Object exports);
void RegisterReferencedSource(Napi::Env env, Napi::Object exports);
void RegisterKernelDamonSource(Napi::Env env, Napi::Object exports);

#ifdef __linux__
// Linux-only bindings (native/addon/linux/): on other systems their exports are absent and
// lib/native/binding.ts linuxBinding() explains why before any call reaches them.
void RegisterMemoryOps(Napi::Env env, Napi::Object exports);
void RegisterProcfs(Napi::Env env, Napi::Object exports);
void RegisterCapabilities(Napi::Env env, Napi::Object exports);
#endif

}  // namespace thp::addon
