#include "core/monitor/adaptive_regions.h"

#include <algorithm>

#include "core/monitor/wide_math.h"

namespace thp::monitor {

uint64_t CountRegions(const std::vector<Target>& targets) {
  uint64_t n = 0;
  for (const auto& t : targets) n += t.regions.size();
  return n;
}

Region SplitRegionAt(Region& r, uint64_t sz_left) {
  Region right = r;
  right.start = r.start + sz_left;
  r.end = right.start;
  return right;
}

uint64_t ApplyMinNrRegions(std::vector<Target>& targets, uint64_t min_nr_regions) {
  uint64_t total = 0;
  for (const auto& t : targets)
    for (const auto& r : t.regions) total += r.size();
  const uint64_t limit = AlignUp(std::max(kMinRegionSize, total / min_nr_regions), kMinRegionSize);
  for (auto& t : targets) {
    bool oversized = false;
    for (const auto& r : t.regions) oversized = oversized || r.size() > limit;
    if (!oversized) continue;
    std::vector<Region> out;
    out.reserve(t.regions.size());
    for (Region r : t.regions) {
      while (r.size() > limit) {
        Region right = SplitRegionAt(r, limit);
        out.push_back(r);
        r = right;
      }
      out.push_back(r);
    }
    t.regions.swap(out);
  }
  return limit;
}

namespace {

uint32_t Diff(uint32_t a, uint32_t b) { return a > b ? a - b : b - a; }

// design.rst "Age Tracking": the age update done inside the merge pass.
void UpdateAge(Region& r, uint32_t threshold) {
  if (Diff(r.nr_accesses, r.last_nr_accesses) > threshold || (r.nr_accesses == 0) != (r.last_nr_accesses == 0)) r.age = 0;
  else r.age += 1;
}

// design.rst "Adaptive Regions Adjustment" merging R into L: size-weighted integer averages; L keeps its last_nr_accesses.
void MergeInto(Region& l, const Region& r) {
  const uint64_t sl = l.size(), sr = r.size();
  l.nr_accesses = static_cast<uint32_t>(WeightedAverage(l.nr_accesses, sl, r.nr_accesses, sr));
  l.nr_accesses_bp = static_cast<uint64_t>(l.nr_accesses) * 10000;
  l.age = static_cast<uint32_t>(WeightedAverage(l.age, sl, r.age, sr));
  l.end = r.end;
}

}  // namespace

void MergeRegionsOf(std::vector<Region>& regions, uint32_t threshold, uint64_t sz_limit) {
  std::vector<Region> out;
  out.reserve(regions.size());
  for (Region r : regions) {
    UpdateAge(r, threshold);
    if (!out.empty()) {
      Region& prev = out.back();
      if (prev.end == r.start && Diff(prev.nr_accesses, r.nr_accesses) <= threshold && prev.size() + r.size() <= sz_limit) {
        MergeInto(prev, r);
        continue;
      }
    }
    out.push_back(r);
  }
  regions.swap(out);
}

void MergeRegions(std::vector<Target>& targets, uint32_t threshold, uint64_t sz_limit, uint64_t max_nr_regions,
                  uint64_t max_thres) {
  uint64_t nr;
  do {
    nr = 0;
    for (auto& t : targets) {
      MergeRegionsOf(t.regions, threshold, sz_limit);
      nr += t.regions.size();
    }
    threshold = std::max<uint32_t>(1, threshold * 2);
  } while (nr > max_nr_regions && threshold / 2 < max_thres);
}

void SplitRegionsOf(std::vector<Region>& regions, int nr_subs, SeededRandom& rng) {
  std::vector<Region> out;
  out.reserve(regions.size() * nr_subs);
  for (Region r : regions) {
    // Pieces cut off the right are final; a further cut (nr_subs == 3) divides the left piece again.
    std::vector<Region> rights;
    uint64_t sz = r.size();
    for (int i = 0; i < nr_subs - 1 && sz > 2 * kMinRegionSize; i++) {
      const uint64_t piece = AlignDown(RandomIn(rng, 1, 10) * sz / 10, kMinRegionSize);
      if (piece == 0 || piece >= sz) continue;
      rights.push_back(SplitRegionAt(r, piece));
      sz = piece;
    }
    out.push_back(r);
    out.insert(out.end(), rights.rbegin(), rights.rend());
  }
  regions.swap(out);
}

void SplitRegions(std::vector<Target>& targets, uint64_t max_nr_regions, uint64_t& last_nr_regions, SeededRandom& rng) {
  const uint64_t nr = CountRegions(targets);
  if (nr > max_nr_regions / 2) return;
  int subs = 2;
  // "The middle of the region may have a different access frequency."
  if (last_nr_regions == nr && nr < max_nr_regions / 3) subs = 3;
  for (auto& t : targets) SplitRegionsOf(t.regions, subs, rng);
  last_nr_regions = nr;
}

}  // namespace thp::monitor
