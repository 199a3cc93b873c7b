// Runs the walk-heavy stream (uniform random reads over N GiB of 4 KiB pages, preset
// zen4-vm, native) through the simulator's engine and through the fused engine, in
// alternating rounds, and prints one JSON line per round with both rates and both counter sets.
//
//   sim-floor <count> <rounds> <GiB> [<GiB> ...]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include "core/tlbsim/presets.h"
#include "core/tlbsim/simulator.h"
#include "fused_engine.h"
#include "platform/huge_slab.h"

using namespace thp;
using thp::tlbsim::PageSize;

namespace {

constexpr uint64_t kBase = uint64_t{1} << 40;

tlbsim::WorkloadSpec Stream(uint64_t bytes, uint64_t seed) {
  tlbsim::WorkloadSpec w;
  w.kind = tlbsim::WorkloadKind::kUniform;
  w.base = kBase;
  w.bytes = bytes;
  w.seed = seed;
  return w;
}

template <typename RunFn>
double RateMPerS(RunFn&& run, uint64_t count) {
  const auto t0 = std::chrono::steady_clock::now();
  run();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return static_cast<double>(count) / s / 1e6;
}

// The engine's counters in the fused engine's form, so one comparison covers both.
bench::FusedCounters EngineCounters(const tlbsim::Simulator& sim) {
  const auto& k = sim.counters();
  const auto& w = sim.walk_counters();
  const int four_k = static_cast<int>(PageSize::k4K);
  bench::FusedCounters c;
  c.accesses = k.accesses;
  c.l1_lookups = k.l1.lookups;
  c.l1_hits = k.l1.hits[four_k];
  c.l1_misses = k.l1.misses[four_k];
  c.l2_lookups = k.l2.lookups;
  c.l2_hits = k.l2.hits[four_k];
  c.l2_misses = k.l2.misses[four_k];
  c.walks = w.walks;
  c.refs = w.refs;
  c.cache_refs = w.cache_refs;
  c.dram_refs = w.dram_refs;
  for (int l = 1; l < 4; ++l) {
    c.pwc_lookups[l] = w.pwc_lookups[l];
    c.pwc_hits[l] = w.pwc_hits[l];
  }
  return c;
}

// A JSON object of named counters (the bench compares them and reads them by name).
std::string Json(const bench::FusedCounters& c) {
  const std::pair<const char*, uint64_t> fields[] = {{"accesses", c.accesses},
                                                     {"l1Lookups", c.l1_lookups},
                                                     {"l1Hits", c.l1_hits},
                                                     {"l1Misses", c.l1_misses},
                                                     {"l2Lookups", c.l2_lookups},
                                                     {"l2Hits", c.l2_hits},
                                                     {"l2Misses", c.l2_misses},
                                                     {"walks", c.walks},
                                                     {"refs", c.refs},
                                                     {"cacheRefs", c.cache_refs},
                                                     {"dramRefs", c.dram_refs},
                                                     {"pdeLookups", c.pwc_lookups[1]},
                                                     {"pdeHits", c.pwc_hits[1]},
                                                     {"pdpteLookups", c.pwc_lookups[2]},
                                                     {"pdpteHits", c.pwc_hits[2]},
                                                     {"pml4Lookups", c.pwc_lookups[3]},
                                                     {"pml4Hits", c.pwc_hits[3]}};
  std::string out;
  for (const auto& [name, value] : fields)
    out += (out.empty() ? "{\"" : ",\"") + std::string(name) + "\":" + std::to_string(value);
  return out + "}";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: sim-floor <count> <rounds> <GiB> [<GiB> ...]\n");
    return 2;
  }
  const uint64_t count = std::strtoull(argv[1], nullptr, 10);
  const int rounds = std::atoi(argv[2]);
  tlbsim::PageTable::SetSlabAdvice(platform::AdviseHugeSlab);  // as the addon does
  tlbsim::SimConfig config;
  tlbsim::LoadPreset("zen4-vm", &config);
  config.nested.enabled = false;
  if (!bench::FusedShape::Matches(config)) {
    std::fprintf(stderr, "the zen4-vm preset no longer has the shapes the fused engine hard-codes\n");
    return 1;
  }
  for (int a = 3; a < argc; ++a) {
    const uint64_t bytes = std::strtoull(argv[a], nullptr, 10) << 30;
    tlbsim::Simulator sim(config);
    tlbsim::PageTable table(4);
    if (sim.Map(kBase, bytes, PageSize::k4K) != tlbsim::MapStatus::kOk ||
        table.Map(kBase, bytes, PageSize::k4K) != tlbsim::MapStatus::kOk) {
      std::fprintf(stderr, "map of %s GiB failed\n", argv[a]);
      return 1;
    }
    bench::FusedEngine fused(&table);
    // Warm-up as sim-throughput does: the same stream with seed 1, up to 1e6 accesses.
    const uint64_t warm = count < 1000000 ? count : 1000000;
    tlbsim::WorkloadGenerator warm_sim(Stream(bytes, 1)), warm_fused(Stream(bytes, 1));
    sim.Run(warm_sim, warm);
    fused.Run(warm_fused, warm);
    for (int r = 0; r < rounds; ++r) {
      tlbsim::WorkloadGenerator gen_sim(Stream(bytes, r + 2)), gen_fused(Stream(bytes, r + 2));
      sim.ClearCounters();
      fused.ClearCounters();
      const double engine_rate = RateMPerS([&] { sim.Run(gen_sim, count); }, count);
      const double fused_rate = RateMPerS([&] { fused.Run(gen_fused, count); }, count);
      std::printf("{\"gib\":%s,\"round\":%d,\"engine\":%.3f,\"fused\":%.3f,\"engineCounters\":%s,\"fusedCounters\":%s}\n",
                  argv[a], r, engine_rate, fused_rate, Json(EngineCounters(sim)).c_str(), Json(fused.counters()).c_str());
      std::fflush(stdout);
    }
  }
  return 0;
}
