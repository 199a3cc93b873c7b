// Addon entry point. Each component's binding file exports one Register* function
// (declared in addon/exports.h) that adds its functions or wrapped classes to `exports`.
#include <napi.h>

#include "addon/exports.h"

namespace thp::addon {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  RegisterPlatformInfo(env, exports);
  RegisterAccessMonitor(env, exports);
  RegisterMonitorFormulas(env, exports);
  RegisterTlbSimulator(env, exports);
  RegisterPatternSource(env, exports);
  RegisterSimulatedSource(env, exports);
  RegisterPagemapSource(env, exports);
  RegisterReferencedSource(env, exports);
  RegisterKernelDamonSource(env, exports);
#ifdef __linux__
  RegisterMemoryOps(env, exports);
  RegisterProcfs(env, exports);
  RegisterCapabilities(env, exports);
#endif
  return exports;
}

}  // namespace thp::addon

// NODE_API_MODULE pastes the function name into an identifier, so it needs an unqualified one.
static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return thp::addon::Init(env, exports); }
NODE_API_MODULE(thp_autotune, InitModule)
