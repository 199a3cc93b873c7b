// N-API bindings of the /proc readers (platform/linux/procfs/). Every read runs off the JS
// thread and returns a Promise; the pure parsers are also exposed synchronously so tests and
// tools can feed recorded text. Arguments are validated in lib/procfs before they get here.
#include <napi.h>

#include <map>
#include <string>
#include <vector>

#include "addon/async_call.h"
#include "addon/exports.h"
#include "platform/linux/procfs/anonymous_mappings.h"
#include "platform/linux/procfs/maps.h"
#include "platform/linux/procfs/meminfo.h"
#include "platform/linux/procfs/pressure.h"
#include "platform/linux/procfs/smaps.h"
#include "platform/linux/procfs/smaps_rollup.h"
#include "platform/linux/procfs/vmstat.h"

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

// Counters become JS numbers, exact up to 2^53. A larger value (in practice only a gauge
// the kernel printed as a wrapped-around negative, such as a per-CPU drift in vmstat) is
// rounded, and its key is listed in `inexact` so callers can tell.
constexpr uint64_t kMaxSafeInteger = (uint64_t{1} << 53) - 1;

Napi::Object NumbersToJs(Napi::Env env, const std::map<std::string, uint64_t>& values, Napi::Array inexact) {
  auto object = Napi::Object::New(env);
  for (const auto& [key, value] : values) {
    object.Set(key, Napi::Number::New(env, static_cast<double>(value)));
    if (value > kMaxSafeInteger) inexact.Set(inexact.Length(), key);
  }
  return object;
}

Napi::Object KeyFieldsToJs(Napi::Env env, const procfs::KeyFields& fields) {
  auto object = Napi::Object::New(env);
  auto inexact = Napi::Array::New(env);
  object.Set("bytes", NumbersToJs(env, fields.bytes, inexact));
  object.Set("counts", NumbersToJs(env, fields.counts, inexact));
  auto texts = Napi::Object::New(env);
  for (const auto& [key, value] : fields.texts) texts.Set(key, value);
  object.Set("texts", texts);
  object.Set("inexact", inexact);
  return object;
}

Napi::Value SmapsToJs(Napi::Env env, const std::vector<procfs::SmapsVma>& entries) {
  auto array = Napi::Array::New(env, entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& entry = entries[i];
    auto object = KeyFieldsToJs(env, entry.fields);
    SetVmaHeader(env, object, entry.vma);
    object.Set("thpEligible", entry.thpEligible < 0 ? env.Undefined() : Napi::Boolean::New(env, entry.thpEligible == 1));
    auto flags = Napi::Array::New(env, entry.vmFlags.size());
    for (size_t f = 0; f < entry.vmFlags.size(); ++f) flags.Set(static_cast<uint32_t>(f), entry.vmFlags[f]);
    object.Set("vmFlags", flags);
    array.Set(static_cast<uint32_t>(i), object);
  }
  return array;
}

Napi::Value AnonymousMappingsToJs(Napi::Env env, const std::vector<procfs::AnonymousMapping>& mappings) {
  auto array = Napi::Array::New(env, mappings.size());
  for (size_t i = 0; i < mappings.size(); ++i) {
    auto object = Napi::Object::New(env);
    object.Set("start", U64(env, mappings[i].start));
    object.Set("end", U64(env, mappings[i].end));
    object.Set("anonymousBytes", Napi::Number::New(env, static_cast<double>(mappings[i].anonymous_bytes)));
    object.Set("collapsible", Napi::Boolean::New(env, mappings[i].collapsible));
    array.Set(static_cast<uint32_t>(i), object);
  }
  return array;
}

Napi::Value RollupToJs(Napi::Env env, const procfs::SmapsRollup& rollup) {
  auto object = KeyFieldsToJs(env, rollup.fields);
  object.Set("start", U64(env, rollup.start));
  object.Set("end", U64(env, rollup.end));
  return object;
}

Napi::Value MeminfoToJs(Napi::Env env, const procfs::KeyFields& fields) { return KeyFieldsToJs(env, fields); }

Napi::Value VmstatToJs(Napi::Env env, const std::map<std::string, uint64_t>& counters) {
  auto object = Napi::Object::New(env);
  auto inexact = Napi::Array::New(env);
  object.Set("counters", NumbersToJs(env, counters, inexact));
  object.Set("inexact", inexact);
  return object;
}

Napi::Value PressureLineToJs(Napi::Env env, const procfs::PressureLine& line) {
  if (!line.present) return env.Undefined();
  auto object = Napi::Object::New(env);
  object.Set("avg10", line.avg10);
  object.Set("avg60", line.avg60);
  object.Set("avg300", line.avg300);
  object.Set("totalMicros", Napi::Number::New(env, static_cast<double>(line.totalMicros)));
  return object;
}

Napi::Value PressureToJs(Napi::Env env, const procfs::Pressure& pressure) {
  auto object = Napi::Object::New(env);
  object.Set("some", PressureLineToJs(env, pressure.some));
  object.Set("full", PressureLineToJs(env, pressure.full));
  return object;
}

int PidArgument(const Napi::CallbackInfo& info) { return info[0].As<Napi::Number>().Int32Value(); }

// Binds a pure parser as a sync function of one string, and a reader as a Promise-returning
// function of a pid.
template <typename Result>
Napi::Function Parser(Napi::Env env, Result (*parse)(std::string_view), Napi::Value (*toJs)(Napi::Env, const Result&)) {
  return Napi::Function::New(env, [parse, toJs](const Napi::CallbackInfo& info) {
    std::string text = info[0].As<Napi::String>().Utf8Value();
    return RunSync<Result>(
        info.Env(), [&] { return parse(text); }, toJs);
  });
}

template <typename Result>
Napi::Function PidReader(Napi::Env env, Result (*read)(int), Napi::Value (*toJs)(Napi::Env, const Result&)) {
  return Napi::Function::New(env, [read, toJs](const Napi::CallbackInfo& info) {
    int pid = PidArgument(info);
    return RunAsync<Result>(
        info.Env(), [read, pid] { return read(pid); }, toJs);
  });
}

template <typename Result>
Napi::Function SystemReader(Napi::Env env, Result (*read)(), Napi::Value (*toJs)(Napi::Env, const Result&)) {
  return Napi::Function::New(env,
                             [read, toJs](const Napi::CallbackInfo& info) { return RunAsync<Result>(info.Env(), read, toJs); });
}

}  // namespace

void RegisterProcfs(Napi::Env env, Napi::Object exports) {
  auto object = Napi::Object::New(env);
  object.Set("parseMaps", Parser<std::vector<procfs::Vma>>(env, procfs::ParseMaps, MapsToJs));
  object.Set("readMaps", PidReader<std::vector<procfs::Vma>>(env, procfs::ReadMaps, MapsToJs));
  using SmapsList = std::vector<procfs::SmapsVma>;
  object.Set("parseSmaps", Parser<SmapsList>(env, procfs::ParseSmaps, SmapsToJs));
  object.Set("readSmaps", PidReader<SmapsList>(env, procfs::ReadSmaps, SmapsToJs));
  object.Set("readAnonymousMappings",
             PidReader<std::vector<procfs::AnonymousMapping>>(env, procfs::ReadAnonymousMappings, AnonymousMappingsToJs));
  object.Set("parseSmapsRollup", Parser<procfs::SmapsRollup>(env, procfs::ParseSmapsRollup, RollupToJs));
  object.Set("readSmapsRollup", PidReader<procfs::SmapsRollup>(env, procfs::ReadSmapsRollup, RollupToJs));
  object.Set("parseMeminfo", Parser<procfs::KeyFields>(env, procfs::ParseMeminfo, MeminfoToJs));
  object.Set("readMeminfo", SystemReader<procfs::KeyFields>(env, procfs::ReadMeminfo, MeminfoToJs));
  using Counters = std::map<std::string, uint64_t>;
  object.Set("parseVmstat", Parser<Counters>(env, procfs::ParseVmstat, VmstatToJs));
  object.Set("readVmstat", SystemReader<Counters>(env, procfs::ReadVmstat, VmstatToJs));
  object.Set("parsePressure", Parser<procfs::Pressure>(env, procfs::ParsePressure, PressureToJs));
  object.Set("readMemoryPressure", SystemReader<procfs::Pressure>(env, procfs::ReadMemoryPressure, PressureToJs));
  exports.Set("procfs", object);
}

}  // namespace thp::addon
