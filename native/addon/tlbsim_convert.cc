// Conversions between JS values and the TLB simulator's structs (core/tlbsim), as
// monitor_convert.cc does for the monitor: tlb_simulator.cc keeps only the class, its
// threading and its errors. Options arrive validated by lib/simulator/options.ts.
#include "addon/tlbsim_convert.h"

#include "addon/counters.h"

namespace thp::addon {

using tlbsim::ArrayShape;
using tlbsim::PageSize;
using tlbsim::SimConfig;

namespace {

const char* const kSizeNames[] = {"4k", "2m", "1g"};

}  // namespace

PageSize PageSizeFromName(const std::string& s) {
  if (s == "2m") return PageSize::k2M;
  if (s == "1g") return PageSize::k1G;
  return PageSize::k4K;
}

const char* PageSizeName(PageSize size) { return kSizeNames[static_cast<int>(size)]; }

uint64_t ToUint64(const Napi::Value& v) {
  if (v.IsBigInt()) {
    bool lossless = true;
    return v.As<Napi::BigInt>().Uint64Value(&lossless);
  }
  return static_cast<uint64_t>(v.As<Napi::Number>().DoubleValue());
}

namespace {

double Num(const Napi::Object& o, const char* key) { return o.Get(key).As<Napi::Number>().DoubleValue(); }
uint32_t U32(const Napi::Object& o, const char* key) { return o.Get(key).As<Napi::Number>().Uint32Value(); }

ArrayShape ReadShape(const Napi::Object& o) { return ArrayShape{U32(o, "entries"), U32(o, "ways")}; }

Napi::Object ShapeToJs(Napi::Env env, const ArrayShape& s) {
  auto o = Napi::Object::New(env);
  o.Set("entries", s.entries);
  o.Set("ways", s.ways);
  return o;
}

tlbsim::TlbLevelConfig ReadLevel(const Napi::Array& arr) {
  tlbsim::TlbLevelConfig level;
  for (uint32_t i = 0; i < arr.Length(); ++i) {
    const auto o = arr.Get(i).As<Napi::Object>();
    tlbsim::TlbArrayConfig a;
    a.shape = ReadShape(o);
    a.sizes = 0;
    const auto sizes = o.Get("sizes").As<Napi::Array>();
    for (uint32_t k = 0; k < sizes.Length(); ++k) a.sizes |= tlbsim::SizeBit(PageSizeFromName(sizes.Get(k).As<Napi::String>()));
    level.arrays.push_back(a);
  }
  return level;
}

Napi::Array LevelToJs(Napi::Env env, const tlbsim::TlbLevelConfig& level) {
  auto arr = Napi::Array::New(env, level.arrays.size());
  for (size_t i = 0; i < level.arrays.size(); ++i) {
    auto o = ShapeToJs(env, level.arrays[i].shape);
    auto sizes = Napi::Array::New(env);
    for (int s = 0; s < tlbsim::kPageSizeCount; ++s) {
      if (level.arrays[i].sizes & (1u << s)) sizes.Set(sizes.Length(), kSizeNames[s]);
    }
    o.Set("sizes", sizes);
    arr.Set(static_cast<uint32_t>(i), o);
  }
  return arr;
}

// Walk caches as {pde, pdpte, pml4, pml5}: index 1..4 of SimConfig::pwc.
const char* const kPwcNames[] = {nullptr, "pde", "pdpte", "pml4", "pml5"};

void ReadPwc(const Napi::Object& o, ArrayShape* pwc) {
  for (int l = 1; l < 5; ++l) pwc[l] = ReadShape(o.Get(kPwcNames[l]).As<Napi::Object>());
}

Napi::Object PwcToJs(Napi::Env env, const ArrayShape* pwc) {
  auto o = Napi::Object::New(env);
  for (int l = 1; l < 5; ++l) o.Set(kPwcNames[l], ShapeToJs(env, pwc[l]));
  return o;
}

}  // namespace

SimConfig ReadSimConfig(const Napi::Object& o) {
  SimConfig c;
  c.name = o.Get("name").As<Napi::String>();
  c.levels = static_cast<int>(U32(o, "levels"));
  c.l1 = ReadLevel(o.Get("l1").As<Napi::Array>());
  c.l2 = ReadLevel(o.Get("l2").As<Napi::Array>());
  ReadPwc(o.Get("walkCaches").As<Napi::Object>(), c.pwc);
  c.pt_cache = ReadShape(o.Get("pageTableCache").As<Napi::Object>());
  const auto n = o.Get("nested").As<Napi::Object>();
  c.nested.enabled = n.Get("enabled").As<Napi::Boolean>();
  c.nested.host_page = PageSizeFromName(n.Get("hostPageSize").As<Napi::String>());
  c.nested.host_levels = static_cast<int>(U32(n, "hostLevels"));
  c.nested.nested_tlb = ReadShape(n.Get("nestedTlb").As<Napi::Object>());
  ReadPwc(n.Get("hostWalkCaches").As<Napi::Object>(), c.nested.host_pwc);
  const auto cost = o.Get("cost").As<Napi::Object>();
  c.cost.l2_hit_cycles = Num(cost, "l2HitCycles");
  c.cost.cache_ref_cycles = Num(cost, "cacheRefCycles");
  c.cost.dram_ref_cycles = Num(cost, "dramRefCycles");
  c.cost.base_access_cycles = Num(cost, "baseAccessCycles");
  return c;
}

Napi::Object SimConfigToJs(Napi::Env env, const SimConfig& c) {
  auto o = Napi::Object::New(env);
  o.Set("name", c.name);
  o.Set("levels", c.levels);
  o.Set("l1", LevelToJs(env, c.l1));
  o.Set("l2", LevelToJs(env, c.l2));
  o.Set("walkCaches", PwcToJs(env, c.pwc));
  o.Set("pageTableCache", ShapeToJs(env, c.pt_cache));
  auto n = Napi::Object::New(env);
  n.Set("enabled", c.nested.enabled);
  n.Set("hostPageSize", kSizeNames[static_cast<int>(c.nested.host_page)]);
  n.Set("hostLevels", c.nested.host_levels);
  n.Set("nestedTlb", ShapeToJs(env, c.nested.nested_tlb));
  n.Set("hostWalkCaches", PwcToJs(env, c.nested.host_pwc));
  o.Set("nested", n);
  auto cost = Napi::Object::New(env);
  cost.Set("l2HitCycles", c.cost.l2_hit_cycles);
  cost.Set("cacheRefCycles", c.cost.cache_ref_cycles);
  cost.Set("dramRefCycles", c.cost.dram_ref_cycles);
  cost.Set("baseAccessCycles", c.cost.base_access_cycles);
  o.Set("cost", cost);
  return o;
}

RunSpec ReadRunSpec(const Napi::Object& o) {
  RunSpec r;
  const std::string kind = o.Get("kind").As<Napi::String>();
  r.count = static_cast<uint64_t>(Num(o, "count"));
  if (kind == "trace") {
    r.trace = true;
    r.path = o.Get("path").As<Napi::String>();
    return r;
  }
  static const struct {
    const char* name;
    tlbsim::WorkloadKind kind;
  } kinds[] = {{"uniform", tlbsim::WorkloadKind::kUniform},       {"zipf", tlbsim::WorkloadKind::kZipf},
               {"sequential", tlbsim::WorkloadKind::kSequential}, {"strided", tlbsim::WorkloadKind::kStrided},
               {"chase", tlbsim::WorkloadKind::kChase},           {"hotcold", tlbsim::WorkloadKind::kHotCold},
               {"phases", tlbsim::WorkloadKind::kPhases}};
  for (const auto& k : kinds) {
    if (kind == k.name) r.spec.kind = k.kind;
  }
  r.spec.base = ToUint64(o.Get("base"));
  r.spec.bytes = ToUint64(o.Get("bytes"));
  r.spec.granule = static_cast<uint64_t>(Num(o, "granule"));
  r.spec.seed = ToUint64(o.Get("seed"));
  r.spec.write_fraction = Num(o, "writeFraction");
  r.spec.theta = Num(o, "theta");
  r.spec.stride = static_cast<uint64_t>(Num(o, "stride"));
  r.spec.hot_fraction = Num(o, "hotFraction");
  r.spec.hot_share = Num(o, "hotShare");
  r.spec.phase_length = static_cast<uint64_t>(Num(o, "phaseLength"));
  return r;
}

namespace {

Napi::Object LevelStats(Napi::Env env, const tlbsim::LevelCounters& c, const tlbsim::ReachUse& reach) {
  auto o = CountersToJs(env, {{"lookups", c.lookups}});
  auto hits = Napi::Object::New(env);
  auto misses = Napi::Object::New(env);
  uint64_t total_hits = 0, total_misses = 0;
  for (int s = 0; s < tlbsim::kPageSizeCount; ++s) {
    hits.Set(kSizeNames[s], static_cast<double>(c.hits[s]));
    misses.Set(kSizeNames[s], static_cast<double>(c.misses[s]));
    total_hits += c.hits[s];
    total_misses += c.misses[s];
  }
  o.Set("hits", hits);
  o.Set("misses", misses);
  o.Set("totalHits", static_cast<double>(total_hits));
  o.Set("totalMisses", static_cast<double>(total_misses));
  o.Set("reach", CountersToJs(env, {{"usedBytes", reach.used_bytes},
                                    {"entriesValid", reach.entries_valid},
                                    {"entriesTotal", reach.entries_total}}));
  return o;
}

Napi::Object HitRate(Napi::Env env, uint64_t lookups, uint64_t hits) {
  auto o = CountersToJs(env, {{"lookups", lookups}, {"hits", hits}});
  o.Set("hitRate", lookups ? static_cast<double>(hits) / static_cast<double>(lookups) : 0.0);
  return o;
}

}  // namespace

Napi::Object SimStatsToJs(Napi::Env env, const tlbsim::Simulator& sim) {
  const auto& c = sim.counters();
  const auto& w = sim.walk_counters();
  auto o = CountersToJs(
      env, {{"accesses", c.accesses}, {"writes", c.writes}, {"faults", c.faults}, {"dirtyAssists", c.dirty_assists}});
  o.Set("l1", LevelStats(env, c.l1, sim.Reach(1)));
  o.Set("l2", LevelStats(env, c.l2, sim.Reach(2)));
  auto walks = CountersToJs(env, {{"walks", w.walks},
                                  {"faults", w.faults},
                                  {"refs", w.refs},
                                  {"guestRefs", w.guest_refs},
                                  {"hostRefs", w.host_refs},
                                  {"cacheRefs", w.cache_refs},
                                  {"dramRefs", w.dram_refs}});
  walks.Set("refsPerWalk", w.walks ? static_cast<double>(w.refs) / static_cast<double>(w.walks) : 0.0);
  auto pwc = Napi::Object::New(env);
  for (int l = 1; l < 5; ++l) pwc.Set(kPwcNames[l], HitRate(env, w.pwc_lookups[l], w.pwc_hits[l]));
  walks.Set("walkCaches", pwc);
  walks.Set("hostWalkCaches", HitRate(env, w.host_pwc_lookups, w.host_pwc_hits));
  walks.Set("nestedTlb", HitRate(env, w.nested_tlb_lookups, w.nested_tlb_hits));
  walks.Set("hostFaults", static_cast<double>(w.host_faults));
  o.Set("walks", walks);
  const double translation = sim.TranslationCycles();
  const double base = static_cast<double>(c.accesses) * sim.config().cost.base_access_cycles;
  auto cycles = Napi::Object::New(env);
  cycles.Set("translation", translation);
  cycles.Set("translationPerAccess", c.accesses ? translation / static_cast<double>(c.accesses) : 0.0);
  cycles.Set("estimatedTotal", translation + base);
  o.Set("cycles", cycles);
  const auto& table = sim.page_table();
  o.Set("memory", CountersToJs(env, {{"residentBytes", table.resident_bytes()},
                                     {"bloatBytes", table.bloat_bytes()},
                                     {"pageTableBytes", table.table_bytes()}}));
  return o;
}

}  // namespace thp::addon
