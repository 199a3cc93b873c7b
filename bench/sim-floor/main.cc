// Runs the walk-heavy stream (uniform random reads over N GiB of 4 KiB pages, preset
// this-machine, native) through the simulator's engine and through the fused engine, in
// alternating rounds, and prints one JSON line per round with both rates and both counter sets.
//
//   sim-floor <count> <rounds> <GiB> [<GiB> ...]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <string>

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

std::string JsonArray(std::initializer_list<uint64_t> values) {
  std::string out = "[";
  for (const uint64_t v : values) out += (out.size() > 1 ? "," : "") + std::to_string(v);
  return out + "]";
}

// The counters both engines compute, in one order.
std::string EngineCounters(const tlbsim::Simulator& sim) {
  const auto& k = sim.counters();
  const auto& w = sim.walk_counters();
  const int four_k = static_cast<int>(PageSize::k4K);
  return JsonArray({k.accesses, k.l1.lookups, k.l1.hits[four_k], k.l1.misses[four_k], k.l2.lookups, k.l2.hits[four_k],
                    k.l2.misses[four_k], w.walks, w.refs, w.cache_refs, w.dram_refs, w.pwc_lookups[1], w.pwc_hits[1],
                    w.pwc_lookups[2], w.pwc_hits[2], w.pwc_lookups[3], w.pwc_hits[3]});
}

std::string FusedCounters(const bench::FusedCounters& c) {
  return JsonArray({c.accesses, c.l1_lookups, c.l1_hits, c.l1_misses, c.l2_lookups, c.l2_hits, c.l2_misses, c.walks, c.refs,
                    c.cache_refs, c.dram_refs, c.pwc_lookups[1], c.pwc_hits[1], c.pwc_lookups[2], c.pwc_hits[2],
                    c.pwc_lookups[3], c.pwc_hits[3]});
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
  tlbsim::LoadPreset("this-machine", &config);
  config.nested.enabled = false;
  if (!bench::FusedShape::Matches(config)) {
    std::fprintf(stderr, "the this-machine preset no longer has the shapes the fused engine hard-codes\n");
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
      std::printf("{\"gib\":%s,\"round\":%d,\"engine\":%.3f,\"fused\":%.3f,\"engineCounters\":%s,\"fusedCounters\":%s}\n", argv[a], r,
                  engine_rate, fused_rate, EngineCounters(sim).c_str(), FusedCounters(fused.counters()).c_str());
      std::fflush(stdout);
    }
  }
  return 0;
}
