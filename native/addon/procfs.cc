// N-API bindings of the /proc readers (platform/linux/procfs/). Every read runs off the JS
// thread and returns a Promise; the pure parsers are also exposed synchronously so tests and
// tools can feed recorded text. Arguments are validated in lib/procfs before they get here.
#include <napi.h>

#include <string>
#include <vector>

#include "addon/async_call.h"
#include "addon/exports.h"
#include "platform/linux/procfs/maps.h"

namespace thp::addon {

namespace {

namespace procfs = platform::procfs;

Napi::Value U64(Napi::Env env, uint64_t value) { return Napi::BigInt::New(env, value); }

void SetVmaHeader(Napi::Env env, Napi::Object object, const procfs::Vma& vma) {
  object.Set("start", U64(env, vma.start));
  object.Set("end", U64(env, vma.end));
  object.Set("perms", vma.perms);
  object.Set("offset", U64(env, vma.offset));
  object.Set("dev", vma.dev);
  object.Set("inode", U64(env, vma.inode));
  object.Set("pathname", vma.pathname);
}

Napi::Value MapsToJs(Napi::Env env, const std::vector<procfs::Vma>& vmas) {
  auto array = Napi::Array::New(env, vmas.size());
  for (size_t i = 0; i < vmas.size(); ++i) {
    auto object = Napi::Object::New(env);
    SetVmaHeader(env, object, vmas[i]);
    array.Set(static_cast<uint32_t>(i), object);
  }
  return array;
}

int PidArgument(const Napi::CallbackInfo& info) { return info[0].As<Napi::Number>().Int32Value(); }

// Binds a pure parser as a sync function of one string, and a reader as a Promise-returning
// function of a pid.
template <typename Result>
Napi::Function Parser(Napi::Env env, Result (*parse)(std::string_view),
                      Napi::Value (*toJs)(Napi::Env, const Result&)) {
  return Napi::Function::New(env, [parse, toJs](const Napi::CallbackInfo& info) {
    std::string text = info[0].As<Napi::String>().Utf8Value();
    return RunSync<Result>(info.Env(), [&] { return parse(text); }, toJs);
  });
}

template <typename Result>
Napi::Function PidReader(Napi::Env env, Result (*read)(int), Napi::Value (*toJs)(Napi::Env, const Result&)) {
  return Napi::Function::New(env, [read, toJs](const Napi::CallbackInfo& info) {
    int pid = PidArgument(info);
    return RunAsync<Result>(info.Env(), [read, pid] { return read(pid); }, toJs);
  });
}

}  // namespace

void RegisterProcfs(Napi::Env env, Napi::Object exports) {
  auto object = Napi::Object::New(env);
  object.Set("parseMaps", Parser<std::vector<procfs::Vma>>(env, procfs::ParseMaps, MapsToJs));
  object.Set("readMaps", PidReader<std::vector<procfs::Vma>>(env, procfs::ReadMaps, MapsToJs));
  exports.Set("procfs", object);
}

}  // namespace thp::addon
