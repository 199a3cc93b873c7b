#include "sources/referenced/cells.h"

#include <algorithm>
#include <cmath>

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

bool SampleAccessed(const std::vector<WindowVma>& window, uint64_t addr) {
  const WindowVma* v = Find(window, addr);
  if (v == nullptr || v->referenced == 0) return false;
  const uint64_t size = v->end - v->start;
  if (v->referenced >= size) return true;
  // Fibonacci hashing of the page number: a fixed, evenly spread fraction in [0, 1).
  const uint64_t h = (addr / kPage) * 0x9E3779B97F4A7C15ull;
  const double fraction = static_cast<double>(h >> 11) / static_cast<double>(uint64_t{1} << 53);
  return fraction * static_cast<double>(size) < static_cast<double>(v->referenced);
}

int64_t ReferencedPagesIn(const std::vector<WindowVma>& window, uint64_t start, uint64_t end) {
  auto it = std::upper_bound(window.begin(), window.end(), start, [](uint64_t a, const WindowVma& v) { return a < v.start; });
  if (it != window.begin()) --it;
  bool any = false;
  double bytes = 0;
  for (; it != window.end() && it->start < end; ++it) {
    const uint64_t lo = std::max(start, it->start), hi = std::min(end, it->end);
    if (lo >= hi) continue;
    any = true;
    bytes += static_cast<double>(it->referenced) * static_cast<double>(hi - lo) / static_cast<double>(it->end - it->start);
  }
  return any ? static_cast<int64_t>(std::llround(bytes / kPage)) : -1;
}

uint64_t NextIntervalUs(uint64_t cycle_cpu_ns, uint64_t program_ns, uint64_t min_interval_us, uint32_t cpu_budget_bp,
                        uint32_t program_budget_bp) {
  const auto within = [](uint64_t cost_ns, uint32_t budget_bp) {
    return budget_bp == 0 ? 0 : cost_ns / 1000 * 10000 / budget_bp;
  };
  return std::max({min_interval_us, within(cycle_cpu_ns, cpu_budget_bp), within(program_ns, program_budget_bp)});
}

}  // namespace thp::sources
