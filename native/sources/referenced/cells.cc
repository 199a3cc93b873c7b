#include "sources/referenced/cells.h"

#include <algorithm>
#include <cmath>
#include <iterator>

#include "sources/referenced/referenced_source.h"

namespace thp::sources {

namespace {

constexpr uint64_t kPage = 4096;

// VMAs added by splitting `spans` at every multiple of `cell` strictly inside them.
uint64_t NewVmas(const std::vector<monitor::AddressRange>& spans, uint64_t cell) {
  uint64_t n = 0;
  for (const auto& s : spans) {
    const uint64_t first = (s.start / cell + 1) * cell;
    if (first < s.end) n += (s.end - 1 - first) / cell + 1;
  }
  return n;
}

const WindowVma* Find(const std::vector<WindowVma>& window, uint64_t addr) {
  auto it = std::upper_bound(window.begin(), window.end(), addr, [](uint64_t a, const WindowVma& v) { return a < v.start; });
  if (it == window.begin() || addr >= (it - 1)->end) return nullptr;
  return &*(it - 1);
}

// The window VMA holding addr, else the one nearest to it (by the gap between them).
const WindowVma* FindOrNearest(const std::vector<WindowVma>& window, uint64_t addr) {
  if (const WindowVma* v = Find(window, addr)) return v;
  auto it = std::upper_bound(window.begin(), window.end(), addr, [](uint64_t a, const WindowVma& v) { return a < v.start; });
  const WindowVma* after = it == window.end() ? nullptr : &*it;
  const WindowVma* before = it == window.begin() ? nullptr : &*(it - 1);
  if (before == nullptr || after == nullptr) return before == nullptr ? after : before;
  return addr - (before->end - 1) <= after->start - addr ? before : after;
}

}  // namespace

CellPlan PlanCells(const std::vector<monitor::AddressRange>& spans, uint64_t max_new_vmas) {
  CellPlan plan;
  for (uint64_t cell = kCellUnit; cell != 0 && cell <= (uint64_t{1} << 46); cell <<= 1) {
    if (NewVmas(spans, cell) > max_new_vmas) continue;
    plan.cell_bytes = cell;
    for (const auto& s : spans) {
      for (uint64_t c = s.start / cell * cell; c < s.end; c += cell) {
        if ((c / cell) % 2 == 0) continue;
        const uint64_t lo = std::max(c, s.start), hi = std::min(c + cell, s.end);
        if (lo < hi) plan.marked.push_back({lo, hi});
      }
    }
    return plan;
  }
  return plan;
}

std::vector<ArmedRegion> ByArmedRegion(const std::vector<WindowVma>& window) {
  std::vector<ArmedRegion> out;
  out.reserve(window.size());
  for (const auto& v : window) out.push_back({v.armed_for, v.referenced, v.end - v.start});
  std::sort(out.begin(), out.end(), [](const ArmedRegion& a, const ArmedRegion& b) { return a.region.start < b.region.start; });
  std::vector<ArmedRegion> merged;
  for (const auto& r : out) {
    if (!merged.empty() && merged.back().region.start == r.region.start) {
      merged.back().referenced += r.referenced;
      merged.back().bytes += r.bytes;
    } else {
      merged.push_back(r);
    }
  }
  return merged;
}

bool SampleAccessed(const std::vector<WindowVma>& window, const std::vector<ArmedRegion>& armed_regions,
                    const monitor::AddressRange& region, uint64_t addr) {
  // The window VMAs overlapping the region, weighted by their overlap with it.
  auto it =
      std::upper_bound(window.begin(), window.end(), region.start, [](uint64_t a, const WindowVma& v) { return a < v.start; });
  if (it != window.begin()) --it;
  double referenced = 0, size = 0;
  for (; it != window.end() && it->start < region.end; ++it) {
    const uint64_t lo = std::max(region.start, it->start), hi = std::min(region.end, it->end);
    if (lo >= hi) continue;
    const double share = static_cast<double>(hi - lo) / static_cast<double>(it->end - it->start);
    referenced += static_cast<double>(it->referenced) * share;
    size += static_cast<double>(hi - lo);
  }
  if (size == 0) {
    // Split off since the window opened: the cells armed for the regions it was part of.
    auto r = std::upper_bound(armed_regions.begin(), armed_regions.end(), region.start,
                              [](uint64_t a, const ArmedRegion& x) { return a < x.region.start; });
    if (r != armed_regions.begin()) --r;
    for (; r != armed_regions.end() && r->region.start < region.end; ++r) {
      if (r->region.end <= region.start) continue;
      referenced += static_cast<double>(r->referenced);
      size += static_cast<double>(r->bytes);
    }
  }
  if (size == 0) {
    const WindowVma* v = FindOrNearest(window, addr);
    if (v == nullptr) return false;
    referenced = static_cast<double>(v->referenced);
    size = static_cast<double>(v->end - v->start);
  }
  if (referenced <= 0) return false;
  if (referenced >= size) return true;
  // Fibonacci hashing of the page number: a fixed, evenly spread fraction in [0, 1).
  const uint64_t h = (addr / kPage) * 0x9E3779B97F4A7C15ull;
  const double fraction = static_cast<double>(h >> 11) / static_cast<double>(uint64_t{1} << 53);
  return fraction * size < referenced;
}

void RecordObservations(CellObservations* observed, const std::vector<WindowVma>& window, uint64_t closed_us) {
  for (const auto& v : window) {
    auto it = observed->upper_bound(v.start);
    if (it != observed->begin() && std::prev(it)->second.end > v.start) --it;
    while (it != observed->end() && it->first < v.end) it = observed->erase(it);
    observed->emplace(v.start, CellObservation{v.end, v.referenced, closed_us});
  }
}

int64_t ReferencedPagesIn(const CellObservations& observed, uint64_t start, uint64_t end, uint64_t since_us) {
  auto it = observed.upper_bound(start);
  if (it != observed.begin()) --it;
  bool any = false;
  double bytes = 0;
  for (; it != observed.end() && it->first < end; ++it) {
    const auto& [cell_start, o] = *it;
    const uint64_t lo = std::max(start, cell_start), hi = std::min(end, o.end);
    if (lo >= hi || o.closed_us < since_us) continue;
    any = true;
    bytes += static_cast<double>(o.referenced) * static_cast<double>(hi - lo) / static_cast<double>(o.end - cell_start);
  }
  return any ? static_cast<int64_t>(std::llround(bytes / kPage)) : -1;
}

uint64_t ArmingAddress(const monitor::AddressRange& region, uint64_t sampled, uint32_t round, uint32_t rounds) {
  if (sampled < region.start || sampled >= region.end || rounds == 0) return sampled;
  const uint64_t stride = region.size() / rounds / kPage * kPage;
  return region.start + (sampled - region.start + round * stride) % region.size();
}

uint64_t NextIntervalUs(uint64_t cycle_cpu_ns, uint64_t program_ns, uint64_t min_interval_us, uint32_t cpu_budget_bp,
                        uint32_t program_budget_bp) {
  const auto within = [](uint64_t cost_ns, uint32_t budget_bp) {
    return budget_bp == 0 ? 0 : cost_ns / 1000 * 10000 / budget_bp;
  };
  return std::max({min_interval_us, within(cycle_cpu_ns, cpu_budget_bp), within(program_ns, program_budget_bp)});
}

uint64_t NextRateWindowUs(uint64_t current_us, uint64_t resident, uint64_t referenced) {
  uint64_t next = current_us;
  if (referenced * 10 > resident * 9) next = current_us / 2;
  else if (referenced * 10 < resident * 3) next = current_us * 2;
  return std::min(std::max(next, kMinRateWindowUs), kMaxRateWindowUs);
}

}  // namespace thp::sources
