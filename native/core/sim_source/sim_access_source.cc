#include "core/sim_source/sim_access_source.h"

#include "core/tlbsim/prefetch.h"

#include <stdexcept>
#include <string>
#include <utility>

namespace thp::sim_source {

namespace {
uint64_t TotalBytes(const std::vector<monitor::AddressRange>& ranges) {
  uint64_t n = 0;
  for (const auto& r : ranges) n += r.size();
  return n;
}
}  // namespace

SimAccessSource::SimAccessSource(const std::vector<SimMapping>& mappings, SimWorkload workload, uint64_t seed)
    : table_(4), workload_(std::move(workload)), rng_(seed) {
  for (const auto& m : mappings) {
    if (table_.Map(m.start, m.end - m.start, m.page_size) != tlbsim::MapStatus::kOk)
      throw std::invalid_argument("sim mapping [" + std::to_string(m.start) + ", " + std::to_string(m.end) +
                                  ") is unaligned to its page size, out of range or overlapping");
    if (!mapped_.empty() && mapped_.back().end == m.start)
      mapped_.back().end = m.end;
    else
      mapped_.push_back({m.start, m.end});
  }
  mapped_bytes_ = TotalBytes(mapped_);
  hot_bytes_ = TotalBytes(workload_.hot);
}

std::vector<monitor::AddressRange> SimAccessSource::Mappings() { return mapped_; }

void SimAccessSource::PrepareAccessCheck(uint64_t addr) { table_.TestAndClearAccessed(addr); }

SimAccessSource::Located SimAccessSource::Locate(uint64_t addr) {
  Located at;
  at.addr = addr;
  at.entry = table_.EndEntry(addr, &at.level);
  if (at.entry) tlbsim::PrefetchHint(at.entry);
  return at;
}

// Sampling addresses are random, so each test-and-clear misses the host's caches on the leaf
// entry (and at tens of GiB on the level above it), which made this source's cost grow with
// the simulated size. Locating and prefetching the entries a few regions ahead overlaps
// those misses. Same effect as PageTable::TestAndClearAccessed per address.
void SimAccessSource::PrepareAccessChecks(const std::vector<uint64_t>& addrs) {
  constexpr size_t kAhead = 16;
  std::array<Located, kAhead> ring;
  for (size_t i = 0; i < addrs.size() + kAhead; i++) {
    if (i >= kAhead) {
      const Located& at = ring[i % kAhead];
      if (IsLeaf(at)) *at.entry &= ~tlbsim::pte::kAccessed;
    }
    if (i < addrs.size()) ring[i % kAhead] = Locate(addrs[i]);
  }
}

// Checks read entries last touched a sample (5 ms) earlier, which other work may have
// evicted since.
void SimAccessSource::PrefetchCheck(uint64_t addr) { ahead_checks_[(addr >> 12) % ahead_checks_.size()] = Locate(addr); }

monitor::AccessCheck SimAccessSource::CheckAccess(uint64_t addr) {
  const Located& ahead = ahead_checks_[(addr >> 12) % ahead_checks_.size()];
  if (ahead.entry && ahead.addr == addr) {
    if (!IsLeaf(ahead)) return {false, monitor::kMinRegionSize};
    return {(*ahead.entry & tlbsim::pte::kAccessed) != 0, tlbsim::PageBytes(static_cast<tlbsim::PageSize>(ahead.level))};
  }
  tlbsim::Leaf leaf;
  if (!table_.Lookup(addr, &leaf)) return {false, monitor::kMinRegionSize};
  return {leaf.accessed, tlbsim::PageBytes(leaf.size)};
}

uint64_t SimAccessSource::Pick(const std::vector<monitor::AddressRange>& ranges, uint64_t total) {
  uint64_t offset = rng_.Below(total);
  for (const auto& r : ranges) {
    if (offset < r.size()) return r.start + offset;
    offset -= r.size();
  }
  return ranges.back().end - 1;
}

void SimAccessSource::Elapse(uint64_t sample_us) {
  if (mapped_bytes_ == 0) return;
  const uint64_t n = workload_.accesses_per_5ms * sample_us / 5000;
  const auto hot_threshold = static_cast<uint64_t>(workload_.hot_share * 1e6);
  const auto write_threshold = static_cast<uint64_t>(workload_.write_fraction * 1e6);
  for (uint64_t i = 0; i < n; i++) {
    const bool hot = hot_bytes_ > 0 && rng_.Below(1000000) < hot_threshold;
    const uint64_t addr = hot ? Pick(workload_.hot, hot_bytes_) : Pick(mapped_, mapped_bytes_);
    // Only the walk's side effect on A/D bits matters to the sampler, not the entries it reads.
    table_.Walk(addr, rng_.Below(1000000) < write_threshold, [](int, uint64_t) {});
  }
}

void SimAccessSource::SetHot(std::vector<monitor::AddressRange> hot) {
  workload_.hot = std::move(hot);
  hot_bytes_ = TotalBytes(workload_.hot);
}

uint64_t SimAccessSource::Unmap(uint64_t start, uint64_t end) {
  ForgetLocated();
  const uint64_t gone = table_.Unmap(start, end - start);
  std::vector<monitor::AddressRange> left;
  for (const auto& r : mapped_) {
    if (r.end <= start || r.start >= end) {
      left.push_back(r);
      continue;
    }
    if (r.start < start) left.push_back({r.start, start});
    if (r.end > end) left.push_back({end, r.end});
  }
  mapped_.swap(left);
  mapped_bytes_ = TotalBytes(mapped_);
  return gone;
}

}  // namespace thp::sim_source
