// Tells JS which platform backend this binary was built with, so the TypeScript layer can
// explain a missing capability instead of failing inside a call.
#include <napi.h>

#include "addon/exports.h"
#include "platform/platform.h"

namespace thp::addon {

void RegisterPlatformInfo(Napi::Env env, Napi::Object exports) {
  auto info = Napi::Object::New(env);
  info.Set("backend", platform::BackendName());
  info.Set("napiVersion", NAPI_VERSION);
  exports.Set("platform", info);
}

}  // namespace thp::addon
