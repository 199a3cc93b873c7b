// Conversions between JS values and the monitoring core's plain structs. Options arrive
// validated by lib/monitor (TypeScript); these readers only check types, so a direct caller
// of the addon still gets a TypeError instead of undefined behaviour. Addresses come in as JS
// numbers (user-space addresses stay below 2^53; lib/ turns the API's bigints into them) and
// leave in snapshots as BigInts, the public API's address type (docs/conventions.md).
#pragma once

#include <napi.h>

#include <vector>

#include "core/monitor/attrs.h"
#include "core/monitor/monitor_core.h"
#include "core/monitor/region.h"

namespace thp::addon {

uint64_t ReadUint(const Napi::Object& obj, const char* key, uint64_t fallback);
monitor::Attrs ReadAttrs(const Napi::Value& value);
Napi::Object AttrsToJs(Napi::Env env, const monitor::Attrs& attrs);

// [[number, ...], ...] with min_len..max_len numbers each; `what` names the shape in errors.
std::vector<std::vector<double>> ReadTuples(const Napi::Value& value, size_t min_len, size_t max_len, const char* what);
// [[start, end], ...]
std::vector<monitor::AddressRange> ReadRanges(const Napi::Value& value);
// [{ranges?: [[start, end], ...]}, ...]: one spec per target, no ranges for the address space.
std::vector<monitor::TargetSpec> ReadTargets(const Napi::Value& value);
// [{start, end, nrAccesses, nrAccessesBp, age, lastNrAccesses}, ...]
std::vector<monitor::Region> ReadRegions(const Napi::Value& value);
Napi::Array RegionsToJs(Napi::Env env, const std::vector<monitor::Region>& regions);
Napi::Object SnapshotToJs(Napi::Env env, const monitor::Snapshot& snapshot);

}  // namespace thp::addon
