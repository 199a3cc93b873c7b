#include "sources/sim/sim_source.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/tlbsim/prefetch.h"

namespace thp::sources::sim {

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
    if (!mapped_.empty() && mapped_.back().end == m.start) mapped_.back().end = m.end;
    else mapped_.push_back({m.start, m.end});
  }
  mapped_bytes_ = TotalBytes(mapped_);
  hot_bytes_ = TotalBytes(workload_.hot);
}

std::vector<monitor::AddressRange> SimAccessSource::Mappings() { return mapped_; }

void SimAccessSource::PrepareAccessCheck(uint64_t addr) {
  // A prepare outside a batch: the checks that follow walk (nothing kept from an older batch
  // is searched).
  ForgetLocated();
  table_.TestAndClearAccessed(addr);
}

// One sample's addresses ascend within each target (regions are in address order), so
// consecutive ones almost always share the path above the PMD level: remembered per 1 GiB,
// each walk starts at the PMD table (two levels instead of the table's four).
SimAccessSource::Located SimAccessSource::Locate(uint64_t addr) {
  Located at;
  at.addr = addr;
  const uint64_t gib = addr >> tlbsim::PageShift(tlbsim::PageSize::k1G);
  if (path_gib_ != gib + 1) {
    path_gib_ = gib + 1;
    path_reaches_pmd_ = table_.FindPathAbove(addr, 1, &path_);
  }
  at.entry = path_reaches_pmd_ ? table_.EndEntryFrom(addr, 1, path_.table, &at.level) : table_.EndEntry(addr, &at.level);
  if (at.entry) tlbsim::PrefetchHint(at.entry);
  return at;
}

// Sampling addresses are random, so each test-and-clear misses the host's caches on the leaf
// entry (and at tens of GiB on the level above it), which made this source's cost grow with
// the simulated size. Locating and prefetching the entries kAhead regions ahead overlaps
// those misses. Same effect as PageTable::TestAndClearAccessed per address. The located
// entries are kept for this sample's checks.
void SimAccessSource::PrepareAccessChecks(const std::vector<uint64_t>& addrs) {
  prepared_.resize(addrs.size());
  next_check_ = next_prefetch_ = 0;
  for (size_t i = 0; i < addrs.size() + kAhead; i++) {
    if (i >= kAhead) {
      const Located& at = prepared_[i - kAhead];
      if (IsLeaf(at)) *at.entry &= ~tlbsim::pte::kAccessed;
    }
    if (i < addrs.size()) prepared_[i] = Locate(addrs[i]);
  }
}

// The core checks in prepare order, skipping some (the same-folio cache, design.rst "PTE Accessed-bit Based Access Check"), so the
// entry of a check is found at or after the previous one's without walking the table again.
// Its entry was last touched a sample (5 ms) earlier, which other work may have evicted
// since: the entries up to kAhead prepares further on are prefetched for later checks.
monitor::AccessCheck SimAccessSource::CheckAccess(uint64_t addr) {
  size_t i = next_check_;
  while (i < prepared_.size() && prepared_[i].addr != addr) ++i;
  if (i >= prepared_.size()) {
    // Not prepared in this sample's batch (or out of order): walk.
    tlbsim::Leaf leaf;
    if (!table_.Lookup(addr, &leaf)) return {false, monitor::kMinRegionSize};
    return {leaf.accessed, tlbsim::PageBytes(leaf.size)};
  }
  next_check_ = i + 1;
  for (const size_t ahead = std::min(i + kAhead, prepared_.size()); next_prefetch_ < ahead; ++next_prefetch_)
    if (prepared_[next_prefetch_].entry) tlbsim::PrefetchHint(prepared_[next_prefetch_].entry);
  const Located& at = prepared_[i];
  if (!IsLeaf(at)) return {false, monitor::kMinRegionSize};
  return {(*at.entry & tlbsim::pte::kAccessed) != 0, tlbsim::PageBytes(static_cast<tlbsim::PageSize>(at.level))};
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

}  // namespace thp::sources::sim
