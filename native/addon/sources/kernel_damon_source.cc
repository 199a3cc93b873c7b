// JS class KernelDamonSource (lib/sources/kernel-damon.ts): the kernel's own DAMON watching
// a process (native/sources/kernel_damon/). The kernel computes the regions, so this
// source brings its own driver (a kdamond) instead of being sampled by our core.
#include <memory>
#include <string>

#include "addon/exports.h"
#include "addon/monitor_convert.h"
#include "addon/sources/source_binding.h"
#include "sources/kernel_damon/kernel_damon.h"

namespace thp::addon {

namespace {

class KernelDamonSourceWrap final : public SourceWrap<KernelDamonSourceWrap> {
 public:
  // new KernelDamonSource(pid)
  explicit KernelDamonSourceWrap(const Napi::CallbackInfo& info) : SourceWrap(info) {
    const Napi::Value pid = info[0];
    if (!pid.IsNumber() || pid.As<Napi::Number>().Int64Value() <= 0)
      throw Napi::RangeError::New(info.Env(), "the kernel DAMON source needs a process id");
    pid_ = pid.As<Napi::Number>().Int64Value();
  }

  static void Define(Napi::Env env, Napi::Object exports) { Register(env, exports, "KernelDamonSource", {}); }

  monitor::AccessSignal signal() const override { return monitor::AccessSignal::kAccess; }

 protected:
  // One target: the whole address space (vaddr) or its fixed ranges (fvaddr). The seed is
  // unused: the kernel picks its own sampling addresses.
  std::shared_ptr<monitor::MonitorDriver> CreateDriver(Napi::Env env, const monitor::Attrs& attrs,
                                                       std::vector<monitor::TargetSpec> targets, uint64_t /*seed*/) override {
    if (targets.size() != 1) throw Napi::RangeError::New(env, "the kernel DAMON source monitors exactly one target");
    sources::KernelDamonOptions options;
    options.pid = pid_;
    options.ranges = targets[0].fixed_ranges;
    options.attrs = attrs;
    std::string why_not;
    std::shared_ptr<monitor::MonitorDriver> driver = sources::CreateKernelDamonDriver(options, &why_not);
    if (!driver) throw NotSupported(env, why_not);
    return driver;
  }

 private:
  int64_t pid_ = 0;
};

}  // namespace

void RegisterKernelDamonSource(Napi::Env env, Napi::Object exports) { KernelDamonSourceWrap::Define(env, exports); }

}  // namespace thp::addon
