// Conversions between JS values and the TLB simulator's structs (core/tlbsim) for the
// TlbSimulator class (tlb_simulator.cc). The readers trust their input's shape: it comes
// from lib/simulator, which validated it.
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>

#include "core/tlbsim/sim_config.h"
#include "core/tlbsim/simulator.h"
#include "core/tlbsim/workloads.h"

namespace thp::addon {

// '4k', '2m', '1g' (anything else reads as 4k: the options were validated).
tlbsim::PageSize PageSizeFromName(const std::string& name);
const char* PageSizeName(tlbsim::PageSize size);
// An address or count given as a BigInt or a Number.
uint64_t ToUint64(const Napi::Value& value);

tlbsim::SimConfig ReadSimConfig(const Napi::Object& object);
Napi::Object SimConfigToJs(Napi::Env env, const tlbsim::SimConfig& config);

// A workload as the worker needs it: a generator spec, or a trace file path.
struct RunSpec {
  bool trace = false;
  std::string path;
  tlbsim::WorkloadSpec spec;
  uint64_t count = 0;  // for a trace: the maximum number of accesses (0 = all)
};

RunSpec ReadRunSpec(const Napi::Object& object);

// stats(): the counters, walks, cycles by the cost model and memory of a simulator.
Napi::Object SimStatsToJs(Napi::Env env, const tlbsim::Simulator& sim);

}  // namespace thp::addon
