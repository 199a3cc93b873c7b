// Real-memory operations on this process or another: allocAligned, addressOf, madvise,
// collapse and residency. Arguments arrive validated by lib/memory; blocking work runs on
// the libuv pool through RunAsync.
#include <napi.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "addon/async_call.h"
#include "addon/exports.h"
#include "platform/linux/memory/advice.h"
#include "platform/linux/memory/aligned_mapping.h"
#include "platform/linux/memory/collapse.h"
#include "platform/linux/memory/page_geometry.h"
#include "platform/linux/memory/residency.h"
#include "platform/linux/memory/target_process.h"
#include "platform/linux/memory/translation_probe.h"
#include "platform/linux/procfs/maps.h"

namespace thp::addon {

namespace {

using platform::AddressRange;

std::string Hex(uint64_t value) {
  char text[20];
  std::snprintf(text, sizeof(text), "%llx", static_cast<unsigned long long>(value));
  return text;
}

// lib/memory validates ranges with the same bound; this check keeps any other caller from
// handing the kernel (or the unit walk) a range that wraps or lies beyond user space.
AddressRange RangeArg(const Napi::CallbackInfo& info, size_t index) {
  bool lossless = false;
  const uint64_t start = info[index].As<Napi::BigInt>().Uint64Value(&lossless);
  const int64_t length = info[index + 1].As<Napi::Number>().Int64Value();
  const uint64_t limit = platform::UserAddressEnd();
  if (!lossless || length < 1 || start >= limit || static_cast<uint64_t>(length) > limit - start) {
    throw Napi::RangeError::New(info.Env(), "range must lie below the end of user space (0x" + Hex(limit) + ") without wrapping");
  }
  return AddressRange{start, static_cast<uint64_t>(length)};
}

// An ArrayBuffer over [data, data + bytes) that unmaps exactly that slice when collected.
Napi::ArrayBuffer ExternalSlice(Napi::Env env, void* data, size_t bytes) {
  return Napi::ArrayBuffer::New(env, data, bytes, [bytes](Napi::Env, void* slice) { platform::UnmapAligned(slice, bytes); });
}

// allocAlignedSegments(total, segment): one aligned mapping of `total` bytes exposed as
// ArrayBuffers of `segment` bytes each (the last may be shorter). Node 20 caps an external
// ArrayBuffer at buffer.constants.MAX_LENGTH (4 GiB) and, past it, frees the finalizer data
// twice; lib/memory checks the cap, and this re-checks it (third argument) so no call can
// reach that path. Segment sizes are multiples of the huge-page size, so each is aligned.
Napi::Value AllocAlignedSegments(const Napi::CallbackInfo& info) {
  const auto total = static_cast<size_t>(info[0].As<Napi::Number>().Int64Value());
  const auto segment = static_cast<size_t>(info[1].As<Napi::Number>().Int64Value());
  const auto max_length = static_cast<size_t>(info[2].As<Napi::Number>().Int64Value());
  const bool aligned_segments = segment >= total || segment % platform::HugeUnitSize() == 0;
  if (total == 0 || segment == 0 || segment > max_length || !aligned_segments) {
    throw Napi::RangeError::New(info.Env(), "allocAlignedSegments: invalid sizes");
  }
  char* memory = nullptr;
  try {
    memory = static_cast<char*>(platform::MapAligned(total));
  } catch (const platform::SystemError& e) {
    throw ErrnoError(info.Env(), e.syscall(), e.errnoValue(), e.path());
  }
  auto segments = Napi::Array::New(info.Env());
  uint32_t index = 0;
  for (size_t offset = 0; offset < total; offset += segment) {
    const size_t bytes = std::min(segment, total - offset);
    segments.Set(index++, ExternalSlice(info.Env(), memory + offset, bytes));
  }
  return segments;
}

Napi::Value AddressOf(const Napi::CallbackInfo& info) {
  if (info[0].IsArrayBuffer()) {
    return Napi::BigInt::New(info.Env(),
                             static_cast<uint64_t>(reinterpret_cast<uintptr_t>(info[0].As<Napi::ArrayBuffer>().Data())));
  }
  auto view = info[0].As<Napi::TypedArray>();
  const auto base = reinterpret_cast<uintptr_t>(view.ArrayBuffer().Data());
  return Napi::BigInt::New(info.Env(), static_cast<uint64_t>(base + view.ByteOffset()));
}

Napi::Value Madvise(const Napi::CallbackInfo& info) {
  const AddressRange range = RangeArg(info, 0);
  const auto advice = platform::AdviceFromName(info[2].As<Napi::String>().Utf8Value());
  if (!advice) throw Napi::TypeError::New(info.Env(), "unknown advice");
  return RunAsync<bool>(
      info.Env(),
      [range, advice] {
        platform::AdviseSelf(range, *advice);
        return true;
      },
      [](Napi::Env env, const bool&) { return env.Undefined(); });
}

platform::ResidencyMethod MethodArg(const Napi::Value& value) {
  return value.As<Napi::String>().Utf8Value() == "pagemap" ? platform::ResidencyMethod::kPagemapRead
                                                           : platform::ResidencyMethod::kPagemapScan;
}

Napi::Value Residency(const Napi::CallbackInfo& info) {
  const AddressRange range = RangeArg(info, 0);
  const int pid = info[2].As<Napi::Number>().Int32Value();
  const auto method = MethodArg(info[3]);
  return RunAsync<std::vector<platform::UnitResidency>>(
      info.Env(), [=] { return platform::ReadResidency(platform::TargetProcess(pid), range, method); },
      [](Napi::Env env, const std::vector<platform::UnitResidency>& units) {
        auto array = Napi::Array::New(env, units.size());
        for (size_t i = 0; i < units.size(); ++i) {
          auto unit = Napi::Object::New(env);
          unit.Set("address", Napi::BigInt::New(env, units[i].address));
          unit.Set("residentPages", units[i].resident_pages);
          unit.Set("pmdMapped", units[i].pmd_mapped < 0 ? env.Null() : Napi::Boolean::New(env, units[i].pmd_mapped == 1));
          unit.Set("units", static_cast<double>(units[i].units));
          array.Set(static_cast<uint32_t>(i), unit);
        }
        return array;
      });
}

// True when [start, end) lies inside one VMA of the list (sorted by address, as maps prints it).
bool InsideOneVma(const std::vector<platform::procfs::Vma>& vmas, uint64_t start, uint64_t end) {
  for (const auto& vma : vmas) {
    if (vma.start <= start && end <= vma.end) return true;
    if (vma.start >= end) break;
  }
  return false;
}

Napi::Value Collapse(const Napi::CallbackInfo& info) {
  const AddressRange range = RangeArg(info, 0);
  const int pid = info[2].As<Napi::Number>().Int32Value();
  return RunAsync<std::vector<platform::UnitCollapse>>(
      info.Env(),
      [=] {
        platform::TargetProcess target(pid);
        const auto vmas = platform::procfs::ReadMaps(target.is_self() ? 0 : pid);
        return platform::CollapseUnits(target, range,
                                       [&vmas](uint64_t start, uint64_t end) { return InsideOneVma(vmas, start, end); });
      },
      [](Napi::Env env, const std::vector<platform::UnitCollapse>& units) {
        auto array = Napi::Array::New(env, units.size());
        for (size_t i = 0; i < units.size(); ++i) {
          auto unit = Napi::Object::New(env);
          unit.Set("address", Napi::BigInt::New(env, units[i].address));
          unit.Set("outcome", platform::CollapseOutcomeName(units[i].outcome));
          unit.Set("errno", units[i].error == 0 ? env.Null() : Napi::String::New(env, ErrnoName(units[i].error)));
          unit.Set("residentPagesBefore", units[i].resident_before);
          unit.Set("elapsedMs", units[i].elapsed_ms);
          unit.Set("units", static_cast<double>(units[i].units));
          array.Set(static_cast<uint32_t>(i), unit);
        }
        return array;
      });
}

// translationProbe(minBytes, maxBytes, budgetMs, sliceAccesses): the advisor's calibration
// probe (platform/linux/memory/translation_probe.h), off the JS thread: it takes most of its
// budget and must not block the event loop of a service that asks for advice.
Napi::Value TranslationProbe(const Napi::CallbackInfo& info) {
  platform::TranslationProbeOptions options;
  options.min_bytes = static_cast<uint64_t>(info[0].As<Napi::Number>().Int64Value());
  options.max_bytes = static_cast<uint64_t>(info[1].As<Napi::Number>().Int64Value());
  options.budget_ms = info[2].As<Napi::Number>().DoubleValue();
  options.slice_accesses = info[3].As<Napi::Number>().Uint32Value();
  const auto power_of_two = [](uint64_t v) { return v != 0 && (v & (v - 1)) == 0; };
  if (!power_of_two(options.min_bytes) || !power_of_two(options.max_bytes) || options.min_bytes < platform::HugeUnitSize() ||
      options.max_bytes < options.min_bytes || options.slice_accesses == 0 || !(options.budget_ms > 0)) {
    throw Napi::RangeError::New(info.Env(), "translationProbe: invalid options");
  }
  return RunAsync<platform::TranslationProbeResult>(
      info.Env(), [=] { return platform::RunTranslationProbe(options); },
      [](Napi::Env env, const platform::TranslationProbeResult& r) {
        auto numbers = [env](const std::vector<double>& values) {
          auto array = Napi::Array::New(env, values.size());
          for (size_t i = 0; i < values.size(); ++i) array.Set(static_cast<uint32_t>(i), values[i]);
          return array;
        };
        auto sizes = Napi::Array::New(env, r.sizes.size());
        for (size_t i = 0; i < r.sizes.size(); ++i) {
          auto size = Napi::Object::New(env);
          size.Set("bytes", static_cast<double>(r.sizes[i].bytes));
          size.Set("ns4k", numbers(r.sizes[i].ns_4k));
          size.Set("ns2m", numbers(r.sizes[i].ns_2m));
          size.Set("nsSparse", numbers(r.sizes[i].ns_sparse));
          sizes.Set(static_cast<uint32_t>(i), size);
        }
        auto out = Napi::Object::New(env);
        out.Set("sizes", sizes);
        out.Set("setupMs", r.setup_ms);
        out.Set("measureMs", r.measure_ms);
        out.Set("hugeUnits", static_cast<double>(r.huge_units));
        out.Set("units", static_cast<double>(r.units));
        out.Set("sliceAccesses", r.slice_accesses);
        out.Set("threadCpuClock", r.thread_cpu_clock);
        out.Set("sparseStride", static_cast<double>(uint64_t{1} << platform::kSparseShift));
        return out;
      });
}

Napi::Value Geometry(const Napi::CallbackInfo& info) {
  auto geometry = Napi::Object::New(info.Env());
  geometry.Set("basePageSize", static_cast<double>(platform::BasePageSize()));
  geometry.Set("hugePageSize", static_cast<double>(platform::HugeUnitSize()));
  geometry.Set("pagemapScan", platform::PagemapScanAvailable());
  return geometry;
}

}  // namespace

void RegisterMemoryOps(Napi::Env env, Napi::Object exports) {
  auto memory = Napi::Object::New(env);
  memory.Set("allocAlignedSegments", Napi::Function::New(env, AllocAlignedSegments, "allocAlignedSegments"));
  memory.Set("addressOf", Napi::Function::New(env, AddressOf, "addressOf"));
  memory.Set("madvise", Napi::Function::New(env, Madvise, "madvise"));
  memory.Set("residency", Napi::Function::New(env, Residency, "residency"));
  memory.Set("collapse", Napi::Function::New(env, Collapse, "collapse"));
  memory.Set("geometry", Napi::Function::New(env, Geometry, "geometry"));
  memory.Set("translationProbe", Napi::Function::New(env, TranslationProbe, "translationProbe"));
  exports.Set("memory", memory);
}

}  // namespace thp::addon
