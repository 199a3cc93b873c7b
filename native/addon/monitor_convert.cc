#include "addon/monitor_convert.h"

namespace thp::addon {

namespace {
double Num(uint64_t v) { return static_cast<double>(v); }
}  // namespace

uint64_t ReadUint(const Napi::Object& obj, const char* key, uint64_t fallback) {
  const Napi::Value v = obj.Get(key);
  if (v.IsUndefined()) return fallback;
  if (!v.IsNumber() || v.As<Napi::Number>().DoubleValue() < 0)
    throw Napi::TypeError::New(obj.Env(), std::string(key) + " must be a non-negative number");
  return static_cast<uint64_t>(v.As<Napi::Number>().DoubleValue());
}

monitor::Attrs ReadAttrs(const Napi::Value& value) {
  monitor::Attrs a;
  if (value.IsUndefined()) return a;
  if (!value.IsObject()) throw Napi::TypeError::New(value.Env(), "attrs must be an object");
  const auto o = value.As<Napi::Object>();
  a.sample_us = ReadUint(o, "sampleUs", a.sample_us);
  a.aggr_us = ReadUint(o, "aggrUs", a.aggr_us);
  a.ops_update_us = ReadUint(o, "opsUpdateUs", a.ops_update_us);
  a.min_nr_regions = ReadUint(o, "minNrRegions", a.min_nr_regions);
  a.max_nr_regions = ReadUint(o, "maxNrRegions", a.max_nr_regions);
  const Napi::Value goal = o.Get("goal");
  if (goal.IsObject()) {
    const auto g = goal.As<Napi::Object>();
    a.goal.access_bp = ReadUint(g, "accessBp", 0);
    a.goal.aggrs = ReadUint(g, "aggrs", 0);
    a.goal.min_sample_us = ReadUint(g, "minSampleUs", 0);
    a.goal.max_sample_us = ReadUint(g, "maxSampleUs", 0);
  }
  return a;
}

Napi::Object AttrsToJs(Napi::Env env, const monitor::Attrs& a) {
  auto o = Napi::Object::New(env);
  o.Set("sampleUs", Num(a.sample_us));
  o.Set("aggrUs", Num(a.aggr_us));
  o.Set("opsUpdateUs", Num(a.ops_update_us));
  o.Set("minNrRegions", Num(a.min_nr_regions));
  o.Set("maxNrRegions", Num(a.max_nr_regions));
  auto g = Napi::Object::New(env);
  g.Set("accessBp", Num(a.goal.access_bp));
  g.Set("aggrs", Num(a.goal.aggrs));
  g.Set("minSampleUs", Num(a.goal.min_sample_us));
  g.Set("maxSampleUs", Num(a.goal.max_sample_us));
  o.Set("goal", g);
  return o;
}

std::vector<std::vector<double>> ReadTuples(const Napi::Value& value, size_t min_len, size_t max_len, const char* what) {
  std::vector<std::vector<double>> out;
  if (value.IsUndefined()) return out;
  if (!value.IsArray()) throw Napi::TypeError::New(value.Env(), std::string("expected an array of ") + what);
  const auto arr = value.As<Napi::Array>();
  for (uint32_t i = 0; i < arr.Length(); i++) {
    const Napi::Value item = arr.Get(i);
    const uint32_t n = item.IsArray() ? item.As<Napi::Array>().Length() : 0;
    if (n < min_len || n > max_len) throw Napi::TypeError::New(value.Env(), std::string("each item must be ") + what);
    std::vector<double> tuple;
    for (uint32_t k = 0; k < n; k++) {
      const Napi::Value v = item.As<Napi::Array>().Get(k);
      if (!v.IsNumber()) throw Napi::TypeError::New(value.Env(), std::string("each item must be ") + what);
      tuple.push_back(v.As<Napi::Number>().DoubleValue());
    }
    out.push_back(std::move(tuple));
  }
  return out;
}

std::vector<monitor::AddressRange> ReadRanges(const Napi::Value& value) {
  std::vector<monitor::AddressRange> out;
  for (const auto& t : ReadTuples(value, 2, 2, "[start, end]")) {
    const auto start = static_cast<uint64_t>(t[0]), end = static_cast<uint64_t>(t[1]);
    if (end <= start || (!out.empty() && start < out.back().end))
      throw Napi::RangeError::New(value.Env(), "ranges must be non-empty, sorted and disjoint");
    out.push_back({start, end});
  }
  return out;
}

std::vector<monitor::TargetSpec> ReadTargets(const Napi::Value& value) {
  if (!value.IsArray()) throw Napi::TypeError::New(value.Env(), "targets must be an array");
  std::vector<monitor::TargetSpec> out;
  const auto arr = value.As<Napi::Array>();
  for (uint32_t i = 0; i < arr.Length(); i++) {
    const Napi::Value item = arr.Get(i);
    if (!item.IsObject()) throw Napi::TypeError::New(value.Env(), "each target must be an object");
    out.push_back({ReadRanges(item.As<Napi::Object>().Get("ranges"))});
  }
  return out;
}

std::vector<monitor::Region> ReadRegions(const Napi::Value& value) {
  std::vector<monitor::Region> out;
  if (!value.IsArray()) throw Napi::TypeError::New(value.Env(), "regions must be an array");
  const auto arr = value.As<Napi::Array>();
  for (uint32_t i = 0; i < arr.Length(); i++) {
    const auto o = arr.Get(i).As<Napi::Object>();
    monitor::Region r;
    r.start = ReadUint(o, "start", 0);
    r.end = ReadUint(o, "end", 0);
    if (r.end <= r.start) throw Napi::RangeError::New(value.Env(), "a region must have end > start");
    r.nr_accesses = static_cast<uint32_t>(ReadUint(o, "nrAccesses", 0));
    r.nr_accesses_bp = ReadUint(o, "nrAccessesBp", static_cast<uint64_t>(r.nr_accesses) * 10000);
    r.age = static_cast<uint32_t>(ReadUint(o, "age", 0));
    r.last_nr_accesses = static_cast<uint32_t>(ReadUint(o, "lastNrAccesses", 0));
    out.push_back(r);
  }
  return out;
}

namespace {
// The fields monitor::Region and monitor::RegionSnapshot share. A snapshot's addresses are
// BigInts, the public API's addresses (docs/conventions.md), made here rather than by a pass
// over every region in JS; the formula table's regions (RegionsToJs) keep numbers, the form
// ReadRegions reads back.
template <typename R>
Napi::Object RegionToJs(Napi::Env env, const R& r, bool bigint_addresses) {
  auto o = Napi::Object::New(env);
  const auto address = [&](uint64_t a) -> Napi::Value {
    if (bigint_addresses) return Napi::BigInt::New(env, a);
    return Napi::Number::New(env, Num(a));
  };
  o.Set("start", address(r.start));
  o.Set("end", address(r.end));
  o.Set("nrAccesses", Num(r.nr_accesses));
  o.Set("nrAccessesBp", Num(r.nr_accesses_bp));
  o.Set("age", Num(r.age));
  return o;
}
}  // namespace

Napi::Array RegionsToJs(Napi::Env env, const std::vector<monitor::Region>& regions) {
  auto arr = Napi::Array::New(env, regions.size());
  for (uint32_t i = 0; i < regions.size(); i++) {
    const auto& r = regions[i];
    auto o = RegionToJs(env, r, false);
    o.Set("lastNrAccesses", Num(r.last_nr_accesses));
    o.Set("samplingAddr", Num(r.sampling_addr));
    arr.Set(i, o);
  }
  return arr;
}

Napi::Object SnapshotToJs(Napi::Env env, const monitor::Snapshot& s) {
  auto o = Napi::Object::New(env);
  o.Set("aggregation", Num(s.aggregation));
  o.Set("passedSampleIntervals", Num(s.passed_sample_intervals));
  o.Set("sampleUs", Num(s.sample_us));
  o.Set("aggrUs", Num(s.aggr_us));
  o.Set("maxNrAccesses", Num(s.max_nr_accesses));
  o.Set("timeNs", Num(s.time_ns));
  o.Set("elapsedNs", Num(s.elapsed_ns));
  o.Set("threadCpuNs", Num(s.thread_cpu_ns));
  o.Set("skippedSamples", Num(s.skipped_samples));
  auto regions = Napi::Array::New(env, s.regions.size());
  for (uint32_t i = 0; i < s.regions.size(); i++) {
    const auto& r = s.regions[i];
    auto ro = RegionToJs(env, r, true);
    ro.Set("target", Num(r.target));
    regions.Set(i, ro);
  }
  o.Set("regions", regions);
  return o;
}

}  // namespace thp::addon
