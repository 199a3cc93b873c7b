// N-API binding of the capability probe (platform/linux/probe/): one Promise-returning call
// that runs every probe off the JS thread. lib/capabilities turns the plain object into the
// typed report.
#include "platform/linux/probe/capabilities.h"

#include <napi.h>

#include <map>
#include <string>

#include "addon/async_call.h"
#include "addon/errors.h"
#include "addon/exports.h"

namespace thp::addon {

namespace {

namespace probe = platform::probe;

Napi::Object SupportToJs(Napi::Env env, const probe::Support& support, int errnoValue = 0) {
  auto object = Napi::Object::New(env);
  object.Set("supported", support.supported);
  if (!support.supported) object.Set("reason", support.reason);
  if (errnoValue != 0) object.Set("errno", ErrnoName(errnoValue));
  return object;
}

Napi::Object ChoiceToJs(Napi::Env env, const probe::Choice& choice) {
  auto object = Napi::Object::New(env);
  object.Set("selected", choice.selected);
  auto choices = Napi::Array::New(env, choice.choices.size());
  for (size_t i = 0; i < choice.choices.size(); ++i) choices.Set(static_cast<uint32_t>(i), choice.choices[i]);
  object.Set("choices", choices);
  return object;
}

Napi::Object NumbersToJs(Napi::Env env, const std::map<std::string, uint64_t>& values) {
  auto object = Napi::Object::New(env);
  for (const auto& [key, value] : values) object.Set(key, Napi::Number::New(env, static_cast<double>(value)));
  return object;
}

Napi::Object ThpToJs(Napi::Env env, const probe::ThpSettings& thp) {
  auto object = SupportToJs(env, thp);
  object.Set("enabled", ChoiceToJs(env, thp.enabled));
  object.Set("defrag", ChoiceToJs(env, thp.defrag));
  object.Set("values", NumbersToJs(env, thp.values));
  object.Set("khugepaged", NumbersToJs(env, thp.khugepaged));
  auto sizes = Napi::Array::New(env, thp.sizes.size());
  for (size_t i = 0; i < thp.sizes.size(); ++i) {
    auto size = Napi::Object::New(env);
    size.Set("kilobytes", Napi::Number::New(env, static_cast<double>(thp.sizes[i].kilobytes)));
    size.Set("enabled", ChoiceToJs(env, thp.sizes[i].enabled));
    sizes.Set(static_cast<uint32_t>(i), size);
  }
  object.Set("sizes", sizes);
  return object;
}

Napi::Object UserfaultfdToJs(Napi::Env env, const probe::UserfaultfdProbe& uffd) {
  auto object = SupportToJs(env, uffd, uffd.errnoValue);
  object.Set("opened", uffd.opened);
  object.Set("userModeOnly", uffd.userModeOnly);
  object.Set("features", Napi::Number::New(env, static_cast<double>(uffd.features)));
  object.Set("wpAsync", uffd.wpAsync);
  object.Set("wpUnpopulated", uffd.wpUnpopulated);
  object.Set("unprivilegedSysctl", Napi::Number::New(env, static_cast<double>(uffd.unprivilegedSysctl)));
  object.Set("seccompMode", Napi::Number::New(env, static_cast<double>(uffd.seccompMode)));
  return object;
}

Napi::Object DamonToJs(Napi::Env env, const probe::DamonProbe& damon) {
  auto object = SupportToJs(env, damon);
  object.Set("sysfs", damon.sysfs);
  object.Set("nrKdamonds", Napi::Number::New(env, static_cast<double>(damon.nrKdamonds)));
  object.Set("vaddr", damon.vaddr);
  object.Set("vaddrEvidence", damon.vaddrEvidence);
  return object;
}

Napi::Object PrivilegesToJs(Napi::Env env, const probe::Privileges& privileges) {
  auto object = Napi::Object::New(env);
  object.Set("euid", privileges.euid);
  object.Set("capSysAdmin", privileges.capSysAdmin);
  object.Set("capSysPtrace", privileges.capSysPtrace);
  object.Set("capSysNice", privileges.capSysNice);
  object.Set("ptraceScope", Napi::Number::New(env, static_cast<double>(privileges.ptraceScope)));
  return object;
}

Napi::Value CapabilitiesToJs(Napi::Env env, const probe::Capabilities& report) {
  auto object = Napi::Object::New(env);
  object.Set("kernelRelease", report.kernelRelease);
  object.Set("thp", ThpToJs(env, report.thp));
  auto collapse = SupportToJs(env, report.collapse, report.collapse.errnoValue);
  collapse.Set("thpDisable", report.collapse.thpDisable);
  object.Set("collapse", collapse);
  object.Set("pagemapScan", SupportToJs(env, report.pagemapScan, report.pagemapScan.errnoValue));
  object.Set("userfaultfd", UserfaultfdToJs(env, report.userfaultfd));
  object.Set("damon", DamonToJs(env, report.damon));
  object.Set("privileges", PrivilegesToJs(env, report.privileges));
  return object;
}

}  // namespace

void RegisterCapabilities(Napi::Env env, Napi::Object exports) {
  auto object = Napi::Object::New(env);
  object.Set("probe", Napi::Function::New(env, [](const Napi::CallbackInfo& info) {
               return RunAsync<probe::Capabilities>(info.Env(), probe::ProbeCapabilities, CapabilitiesToJs);
             }));
  exports.Set("capabilities", object);
}

}  // namespace thp::addon
