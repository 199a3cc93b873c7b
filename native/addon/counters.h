// A JS object of unsigned counters, each a JS number: the shape of every stats and state
// object the addon returns (the simulator's counters, a source's state). Numbers are exact
// below 2^53, which no count of accesses, bytes or nanoseconds here comes near.
#pragma once

#include <napi.h>

#include <cstdint>
#include <initializer_list>
#include <utility>

namespace thp::addon {

// Keys in the order given (the order JS shows them in).
inline Napi::Object CountersToJs(Napi::Env env, std::initializer_list<std::pair<const char*, uint64_t>> counters) {
  auto o = Napi::Object::New(env);
  for (const auto& [key, value] : counters) o.Set(key, static_cast<double>(value));
  return o;
}

}  // namespace thp::addon
